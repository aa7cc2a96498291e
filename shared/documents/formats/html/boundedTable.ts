// Tables as rows and columns when they are small, one line per row when they are not: html-to-text lays a table
// out in time that grows with the square of its rows or columns, and spans as wide as an attribute says.
import type { DomNode, FormatCallback } from 'html-to-text';
import { GATED_ATTRIBUTES, isHiddenElement } from './visibleOnly.js';

/** Laid out as columns up to this many rows: a table a person reads as a grid. */
export const MAX_GRID_ROWS = 100;
/** ...and this many columns, spans counted. */
export const MAX_GRID_COLUMNS = 20;

const GROUPS = new Set(['thead', 'tbody', 'tfoot', 'center']);

const isTag = (node: DomNode, names: ReadonlySet<string>) => node.type === 'tag' && names.has(node.name ?? '');
const CELL = new Set(['td', 'th']);

/** The gated attributes of `elem`, or undefined when it has none. */
function gatedAttributes(elem: DomNode): Record<string, string> | undefined {
  const attributes = (elem.attribs ?? {}) as Record<string, string | undefined>;
  let kept: Record<string, string> | undefined;
  for (const name of GATED_ATTRIBUTES) {
    const value = attributes[name];
    if (value !== undefined) (kept ??= {})[name] = value;
  }
  return kept;
}

/** `children` inside a `span` that carries `attributes`, so the gate paints them as the row or cell would. */
function wrapped(children: DomNode[], attributes: Record<string, string> | undefined): DomNode[] {
  if (attributes === undefined) return children;
  const span = { type: 'tag', name: 'span', attribs: attributes, children } as DomNode;
  return [span];
}

/**
 * The visible rows of `table`, as html-to-text's table layout reads them (`tr` children of the table and of its
 * row groups), each with its visible cells. The layout walks rows and cells itself, past the gate that
 * leaves out hidden elements: hidden ones are taken out of the tree here, and the paint of a row group, row
 * or cell is moved onto a `span` inside each cell, where the gate sees it.
 */
function visibleRows(table: DomNode): DomNode[][] {
  const rows: DomNode[][] = [];
  const keepRows = (parent: DomNode, groupAttributes: Record<string, string> | undefined) => {
    parent.children = parent.children.filter((child) => {
      if (child.type !== 'tag') return true;
      if (GROUPS.has(child.name ?? '') && parent === table) {
        if (isHiddenElement(child)) return false;
        keepRows(child, gatedAttributes(child));
        return true;
      }
      if (child.name !== 'tr') return true;
      if (isHiddenElement(child)) return false;
      const rowAttributes = gatedAttributes(child);
      const cells: DomNode[] = [];
      let hiddenCells = false;
      for (const cell of child.children) {
        if (!isTag(cell, CELL)) continue;
        if (isHiddenElement(cell)) {
          hiddenCells = true;
          continue;
        }
        cells.push(cell);
        const cellAttributes = gatedAttributes(cell);
        if (cellAttributes !== undefined || rowAttributes !== undefined || groupAttributes !== undefined) {
          cell.children = wrapped(wrapped(wrapped(cell.children, cellAttributes), rowAttributes), groupAttributes);
        }
      }
      if (hiddenCells) {
        const kept = new Set(cells);
        child.children = child.children.filter((cell) => !isTag(cell, CELL) || kept.has(cell));
      }
      rows.push(cells);
      return true;
    });
  };
  keepRows(table, undefined);
  return rows;
}

/** A span attribute as html-to-text reads it (`+value || 1`), held between 1 and `max`. */
function span(value: string | undefined, max: number): number {
  const number = Math.floor(Number(value)) || 1;
  return Math.min(Math.max(number, 1), max);
}

const attributesOf = (cell: DomNode) => cell.attribs as Record<string, string | undefined>;

/**
 * The `table` formatter: small tables go to html-to-text's `dataTable` with their spans held inside the
 * grid; the rest become one line per row, cells separated by ` | `, in time linear in the table.
 */
export const boundedTable: FormatCallback = (elem, walk, builder, options) => {
  const rows = visibleRows(elem);
  const grid = rows.length <= MAX_GRID_ROWS && rows.every((cells) => cells.length <= MAX_GRID_COLUMNS
    && cells.reduce((width, cell) => width + span(attributesOf(cell)['colspan'], MAX_GRID_COLUMNS + 1), 0) <= MAX_GRID_COLUMNS);
  if (grid) {
    for (const cell of rows.flat()) {
      const attributes = attributesOf(cell);
      if (attributes['colspan'] !== undefined) attributes['colspan'] = String(span(attributes['colspan'], MAX_GRID_COLUMNS));
      if (attributes['rowspan'] !== undefined) attributes['rowspan'] = String(span(attributes['rowspan'], rows.length));
    }
    builder.options.formatters['dataTable']?.(elem, walk, builder, options);
    return;
  }
  builder.openBlock({ leadingLineBreaks: options.leadingLineBreaks ?? 2 });
  for (const cells of rows) {
    builder.openBlock({ leadingLineBreaks: 1 });
    cells.forEach((cell, index) => {
      if (index > 0) builder.addLiteral(' | ');
      walk(cell.children, builder);
    });
    builder.closeBlock({ trailingLineBreaks: 1 });
  }
  builder.closeBlock({ trailingLineBreaks: options.trailingLineBreaks ?? 2 });
};
