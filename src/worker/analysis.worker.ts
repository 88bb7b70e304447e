import * as Comlink from 'comlink';
import { browserShaderSources } from '../compute/gpu/shaders.browser';
import { AnalysisService } from './analysis';

const gpu = 'gpu' in navigator ? (navigator as Navigator & { gpu: GPU }).gpu : undefined;
Comlink.expose(new AnalysisService(gpu, browserShaderSources, (value, buffers) => Comlink.transfer(value, buffers)));
