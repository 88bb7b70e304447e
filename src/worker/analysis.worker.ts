import * as Comlink from 'comlink';
import { browserShaderSources } from '../compute/gpu/shaders.browser';
import { AnalysisService } from './analysis';

const gpu = 'gpu' in navigator ? (navigator as Navigator & { gpu: GPU }).gpu : undefined;
/** Yields to the worker's message queue (a zero-delay timeout would be clamped to 4 ms). */
function pause(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });
}

Comlink.expose(new AnalysisService(gpu, browserShaderSources, (value, buffers) => Comlink.transfer(value, buffers), pause));
