//! Time integration shared by the models: the one adaptive TR-BDF2 scheme ([`tr_bdf2`]) with its
//! error estimate and step-size controller. A model implements [`tr_bdf2::Stages`] (its right-hand
//! side, its implicit stage solve, its error filter) and drives the steps and events itself.

pub(crate) mod tr_bdf2;
