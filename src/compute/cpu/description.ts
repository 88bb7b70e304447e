/** What the CPU engine says it is (`engine.description` of every command's document), apart from its code: `siglens info` names it without loading it. */
export const CPU_ENGINE_DESCRIPTION = 'CPU (JavaScript, float64 sums)';
