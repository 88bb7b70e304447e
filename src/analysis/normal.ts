/** The normal distribution lives with the engines that need it (src/compute/normal.ts); analysis code imports it from here as before. */
export { erfc, normalCdf, normalSf } from '../compute/normal';
