// How the inside views write shapes and values, in the page's language.
import { formatFixed, formatSignificant } from '../../ui/format';

/** "[8, 24, 24]". */
export const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** Three decimals, or two significant digits for values too small for them (0.00042). */
export const valueText = (v: number) => (Math.abs(v) >= 0.01 || v === 0 ? formatFixed(v, 3) : formatSignificant(v, 2));
