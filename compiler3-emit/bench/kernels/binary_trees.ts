// binary_trees (conformance/programs/heap/binary_trees.ir) as idiomatic
// JavaScript: nodes are plain objects {left, right} with null children at the
// leaves, made and checked recursively, with the IR's loop structure
// (minDepth 4, maxDepth = max(6, n), stretch tree, long-lived tree, 2^(M-d+4)
// trees of each even depth d). The node count stays far below 2^53, so a JS
// number is exact.

interface TreeNode {
  left: TreeNode | null;
  right: TreeNode | null;
}

function make(depth: number): TreeNode {
  if (depth <= 0) return { left: null, right: null };
  return { left: make(depth - 1), right: make(depth - 1) };
}

/** The number of nodes of `t`; a node with a null left child is a leaf, as in the IR. */
function check(t: TreeNode): number {
  if (t.left === null) return 1;
  return check(t.left) + check(t.right!) + 1;
}

export function binaryTrees(n: number): number {
  const minDepth = 4;
  const maxDepth = n < minDepth + 2 ? minDepth + 2 : n;
  let total = check(make(maxDepth + 1));
  const longLived = make(maxDepth);
  for (let depth = minDepth; depth <= maxDepth; depth += 2) {
    const iterations = 2 ** (maxDepth - depth + minDepth);
    for (let i = 0; i < iterations; i++) total += check(make(depth));
  }
  return total + check(longLived);
}
