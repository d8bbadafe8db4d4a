import type { FrameHandler, HandledFrames, RawFrame } from './types.ts';

/** Hands each frame to the handler of the connection it came from (keyed by origin). */
export class OriginRoutedHandler implements FrameHandler {
  readonly #routes: ReadonlyMap<string, FrameHandler>;
  readonly #fallback: FrameHandler;

  constructor(routes: ReadonlyMap<string, FrameHandler>, fallback: FrameHandler) {
    this.#routes = routes;
    this.#fallback = fallback;
  }

  async handle(frames: readonly RawFrame[]): Promise<HandledFrames> {
    const groups = new Map<FrameHandler, RawFrame[]>();
    for (const frame of frames) {
      const handler = this.#routes.get(frame.origin) ?? this.#fallback;
      const group = groups.get(handler);
      if (group === undefined) groups.set(handler, [frame]);
      else group.push(frame);
    }
    const out: HandledFrames = { posts: [], deletions: [], deadLetters: [] };
    for (const [handler, group] of groups) {
      const handled = await handler.handle(group);
      out.posts.push(...handled.posts);
      out.deletions.push(...handled.deletions);
      out.deadLetters.push(...handled.deadLetters);
      if (handled.fatal !== undefined) out.fatal ??= handled.fatal;
    }
    return out;
  }
}
