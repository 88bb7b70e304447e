import type { Engine, LabelRequest, PatternSums, ResampleRequest } from '../engine';
import { labelComponents } from './labels';
import { patternSums } from './pattern-sums';
import { resampleTrilinear } from './resample';

/** The reference engine: typed arrays and float64 arithmetic, in the page or in Node. */
export class CpuEngine implements Engine {
  readonly kind = 'cpu' as const;
  readonly description = 'CPU (JavaScript, float64 sums)';

  async label(req: LabelRequest): Promise<Int32Array> {
    return labelComponents(req);
  }

  async resample(req: ResampleRequest): Promise<Float32Array> {
    return resampleTrilinear(req, 'zero');
  }

  async patternSums(weights: Float32Array, maps: readonly Float32Array[]): Promise<PatternSums[]> {
    return maps.map((x) => patternSums(weights, x));
  }

  dispose(): void {}
}
