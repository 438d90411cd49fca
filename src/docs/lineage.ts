// The lineage graph of the models as an SVG: laid out by dagre (a layered layout that orders each layer
// to keep edges from crossing), drawn here as boxes, one per model or seed, linking to its section of the
// page, and arrows from each parent to the models that read it.
import dagre from '@dagrejs/dagre';
import type { Project } from '../models/compile.js';

export interface PlacedNode {
  id: string;
  layer: string;
  /** Centre and size, in SVG units. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  points: { x: number; y: number }[];
}

export interface Lineage {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const CHAR_WIDTH = 7.2;
const NODE_HEIGHT = 26;
const PADDING = 16;

/** Places every model and seed, parents above the models that read them. */
export function layoutLineage(project: Project): Lineage {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 18, ranksep: 34, marginx: PADDING, marginy: PADDING });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of project.nodes) {
    graph.setNode(node.id, { width: Math.ceil(node.id.length * CHAR_WIDTH) + 20, height: NODE_HEIGHT });
  }
  for (const node of project.nodes) for (const parent of node.dependsOn) graph.setEdge(parent, node.id);
  dagre.layout(graph);
  const label = graph.graph();
  const byId = new Map(project.nodes.map((node) => [node.id, node]));
  return {
    width: Math.ceil(label.width ?? 0),
    height: Math.ceil(label.height ?? 0),
    nodes: graph.nodes().map((id: string) => {
      const placed = graph.node(id);
      return { id, layer: byId.get(id)?.schema ?? '', x: placed.x ?? 0, y: placed.y ?? 0, width: placed.width, height: placed.height };
    }),
    edges: graph.edges().map((edge: { v: string; w: string }) => ({
      from: edge.v,
      to: edge.w,
      points: ((graph.edge(edge) as { points?: { x: number; y: number }[] }).points ?? []).map(({ x, y }) => ({ x, y })),
    })),
  };
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const round = (value: number): string => String(Math.round(value * 10) / 10);

/** The graph as an SVG element; each box links to `#model-<id>`. */
export function lineageSvg(lineage: Lineage): string {
  const edges = lineage.edges.map((edge) => {
    const [first, ...rest] = edge.points;
    const path = first === undefined ? '' : `M${round(first.x)},${round(first.y)}${rest.map((point) => ` L${round(point.x)},${round(point.y)}`).join('')}`;
    return `<path class="edge" data-from="${escape(edge.from)}" data-to="${escape(edge.to)}" d="${path}" marker-end="url(#arrow)"/>`;
  });
  const nodes = lineage.nodes.map(
    (node) =>
      `<a href="#model-${escape(node.id)}" class="node layer-${escape(node.layer)}" data-id="${escape(node.id)}">` +
      `<rect x="${round(node.x - node.width / 2)}" y="${round(node.y - node.height / 2)}" width="${round(node.width)}" height="${round(node.height)}" rx="4"/>` +
      `<text x="${round(node.x)}" y="${round(node.y + 4)}" text-anchor="middle">${escape(node.id)}</text></a>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="lineage" role="img" aria-label="model lineage" width="${lineage.width}" height="${lineage.height}" viewBox="0 0 ${lineage.width} ${lineage.height}" style="max-width: 100%; height: auto">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ...edges,
    ...nodes,
    '</svg>',
  ].join('\n');
}
