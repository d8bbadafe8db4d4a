import type { CascadeFigures } from './types.ts';

/** Cascades listed individually in the answer. */
const TOP_CASCADES = 5;

/**
 * Cascade figures of a tag from (post, parent) pairs: a post whose parent is among the tag's
 * posts hangs under it; the others are roots. Structural virality is the mean distance between
 * two nodes of a tree (Goel et al. 2016), computed from subtree sizes: every edge separates
 * `s` nodes from `n − s`, and lies on the path of exactly `s·(n − s)` pairs.
 */
export function cascadeFigures(posts: ReadonlyArray<{ id: string; parentId: string }>): CascadeFigures {
  const known = new Set(posts.map((p) => p.id));
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const post of posts) {
    if (post.parentId !== '' && post.parentId !== post.id && known.has(post.parentId)) {
      const list = children.get(post.parentId);
      if (list === undefined) children.set(post.parentId, [post.id]);
      else list.push(post.id);
    } else {
      roots.push(post.id);
    }
  }
  const trees: Array<{ rootId: string; size: number; depth: number; structuralVirality: number }> = [];
  for (const root of roots) {
    if (!children.has(root)) continue;
    trees.push(measureTree(root, children));
  }
  trees.sort((a, b) => b.size - a.size || b.depth - a.depth || (a.rootId < b.rootId ? -1 : 1));
  const withVirality = trees.filter((t) => t.size >= 2);
  return {
    cascades: trees.length,
    largestSize: trees[0]?.size ?? 0,
    maxDepth: trees.reduce((m, t) => Math.max(m, t.depth), 0),
    largestStructuralVirality: trees[0]?.structuralVirality ?? 0,
    meanStructuralVirality: withVirality.length === 0 ? 0 : withVirality.reduce((s, t) => s + t.structuralVirality, 0) / withVirality.length,
    top: trees.slice(0, TOP_CASCADES),
  };
}

function measureTree(root: string, children: ReadonlyMap<string, string[]>) {
  // Iterative DFS: deep repost chains must not overflow the stack.
  const order: string[] = [];
  const depthOf = new Map<string, number>([[root, 0]]);
  const stack = [root];
  let depth = 0;
  while (stack.length > 0) {
    const node = stack.pop() as string;
    order.push(node);
    const d = depthOf.get(node) as number;
    depth = Math.max(depth, d);
    for (const child of children.get(node) ?? []) {
      if (depthOf.has(child)) continue;
      depthOf.set(child, d + 1);
      stack.push(child);
    }
  }
  const n = order.length;
  const size = new Map<string, number>();
  let wiener = 0;
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i] as string;
    let s = 1;
    for (const child of children.get(node) ?? []) s += size.get(child) ?? 0;
    size.set(node, s);
    if (node !== root) wiener += s * (n - s);
  }
  const structuralVirality = n < 2 ? 0 : wiener / ((n * (n - 1)) / 2);
  return { rootId: root, size: n, depth, structuralVirality };
}
