// Places an element built by an imperative screen (a class that owns its DOM) inside the Preact
// tree. The element is moved, never rebuilt: its focus, canvases and charts survive re-renders.
import { useLayoutEffect, useRef } from 'preact/hooks';

export function Mount({ node }: { node: Node }) {
  const host = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (node.parentNode !== host.current) host.current?.replaceChildren(node);
  }, [node]);
  return <div class="mount" ref={host} />;
}
