type Cell = string | number | null;

/**
 * RFC 4180 CSV. A text cell that a spreadsheet would run as a formula (=, +, -, @ first) gets a
 * leading apostrophe: file names come from users.
 */
export function toCsv(header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Cell>>): string {
  const field = (v: Cell): string => {
    let s = v === null ? '' : String(v);
    if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[header, ...rows].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}
