import * as Comlink from 'comlink';
import { Parser } from './parser';

Comlink.expose(new Parser((value, buffers) => Comlink.transfer(value, buffers)));
