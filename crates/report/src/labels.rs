//! Marker labels: where each goes beside its line or point (on the side `geometry` chose) and how
//! it is drawn (dark grey text on a translucent white box).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::geometry::{AxisLayout, LabelSide, MarkerShape, Prepared};
use crate::style::{Px, MARKER_COLOR};

type DrawResult<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws every marker's label with a translucent white box behind it.
pub(crate) fn draw_marker_labels<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    prepared: &Prepared<'_>,
    px: Px,
) -> DrawResult<(), DB>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let (xa, ya) = (&prepared.x, &prepared.y);
    let label_font = px.font(14.0).color(&MARKER_COLOR);
    for m in &prepared.markers {
        let (anchor, offset, pos) = marker_label_place(m.shape, m.side, xa, ya, px);
        let style = label_font.pos(pos);
        // A translucent white box behind the label keeps it legible over grid lines and data.
        let (w, h) = style.font.box_size(m.label).unwrap_or((0, 0));
        let (w, h) = (w as i32, h as i32);
        let x0 = match pos.h_pos {
            HPos::Left => offset.0,
            HPos::Center => offset.0 - w / 2,
            HPos::Right => offset.0 - w,
        };
        let y0 = match pos.v_pos {
            VPos::Top => offset.1,
            VPos::Center => offset.1 - h / 2,
            VPos::Bottom => offset.1 - h,
        };
        let pad = px.i(2.0);
        let backdrop =
            Rectangle::new([(x0 - pad, y0 - pad), (x0 + w + pad, y0 + h + pad)], WHITE.mix(0.8).filled());
        let text = Text::new(m.label.to_string(), offset, style);
        chart.draw_series(std::iter::once(EmptyElement::at(anchor) + backdrop + text))?;
    }
    Ok(())
}

/// Where a marker's label goes: the anchor point in data units, a pixel offset from it and the text
/// anchor, on the side that `geometry` chose (the one covering the least data).
fn marker_label_place(
    shape: MarkerShape,
    side: LabelSide,
    xa: &AxisLayout,
    ya: &AxisLayout,
    px: Px,
) -> ((f64, f64), (i32, i32), Pos) {
    let gap = px.i(5.0);
    let sign = |positive: bool| if positive { 1 } else { -1 };
    let h_from = |right: bool| if right { HPos::Left } else { HPos::Right };
    match shape {
        MarkerShape::Vertical(x) => {
            let anchor = (x, if side.up { ya.max } else { ya.min });
            let v = if side.up { VPos::Top } else { VPos::Bottom };
            (anchor, (sign(side.right) * gap, sign(side.up) * gap), Pos::new(h_from(side.right), v))
        }
        MarkerShape::Horizontal(y) => {
            let anchor = (if side.right { xa.max } else { xa.min }, y);
            let h = if side.right { HPos::Right } else { HPos::Left };
            let v = if side.up { VPos::Bottom } else { VPos::Top };
            (anchor, (-sign(side.right) * gap, -sign(side.up) * gap), Pos::new(h, v))
        }
        MarkerShape::Point(x, y) => {
            let v = if side.up { VPos::Bottom } else { VPos::Top };
            ((x, y), (sign(side.right) * 2 * gap, -sign(side.up) * gap), Pos::new(h_from(side.right), v))
        }
    }
}
