// Table-driven tests for node:test: one `it` per row, the title formatted from the row
// (%s: first cell as text, %j and %o: first cell as JSON).
import { it } from 'node:test';

/** Registers one test per row; the row's cells are the test function's arguments. */
export function each<Row extends readonly unknown[]>(
  rows: readonly Row[],
  title: string,
  test: (...row: [...Row]) => unknown,
): void {
  for (const row of rows) {
    const name = title.replace(/%[sjo]/, (token) => (token === '%s' ? String(row[0]) : JSON.stringify(row[0])));
    it(name, async () => {
      await test(...(row as unknown as [...Row]));
    });
  }
}
