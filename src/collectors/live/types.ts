import type { DeadLetter, Deletion, RawPost } from '../../model/index.ts';
import type { CollectorStats } from '../types.ts';
import type { BackoffPolicy, Failure } from './backoff.ts';

/** One frame (WebSocket message, NDJSON line) as read from a live source. */
export interface RawFrame {
  /** The frame's bytes; only a bounded prefix when the frame was larger than allowed (`totalBytes`). */
  data: Buffer;
  /** Size of the whole frame on the wire, in bytes. */
  totalBytes: number;
  /** Wall-clock time it was read, epoch ms. */
  receivedAt: number;
  /** The connection it came from, without secrets: a URL or an instance host. */
  origin: string;
}

/** What a batch of frames turned into. */
export interface HandledFrames {
  posts: RawPost[];
  deletions: Deletion[];
  deadLetters: DeadLetter[];
  /** Set when a frame revealed a configuration problem the source cannot recover from (revoked token). */
  fatal?: Error;
}

/** Turns frames into posts, deletions and dead letters; never throws for a bad frame (it dead-letters it). */
export interface FrameHandler {
  handle(frames: readonly RawFrame[]): Promise<HandledFrames>;
}

/** Where a session delivers what it reads. */
export interface FrameSink {
  push(frame: RawFrame): void;
  /** A keep-alive or ping arrived: the session is alive, though it carried no frame. */
  heartbeat(): void;
}

/** One open connection to a live source. */
export interface LiveSession {
  /** Stop reading from the socket (backpressure); the session must not time out meanwhile. */
  pause(): void;
  resume(): void;
  /** Resolves (never rejects) when the session is over, with why. */
  readonly ended: Promise<Failure>;
  /** Idempotent: ends the session from our side. */
  close(): void;
}

/** Opens sessions to one endpoint (a Jetstream server, one Mastodon instance, X's stream). */
export interface LiveConnector {
  /** For logs; never holds a credential. */
  readonly label: string;
  readonly backoff: BackoffPolicy;
  /**
   * Opens a session. Rejects with a `ConfigError` when retrying cannot help (bad token, bad
   * filter), or with any other error (a `SourceFailureError` says which kind) to back off and retry.
   */
  open(sink: FrameSink, signal: AbortSignal): Promise<LiveSession>;
}

/** `CollectorStats` plus what live sources add. */
export interface LiveCollectorStats extends CollectorStats {
  /** Keep-alives and pings received. */
  heartbeats: number;
  /** Posts and deletions dropped because they had been handed on already (at-least-once redelivery). */
  duplicates: number;
  /** Frames that are valid but carry nothing tagwatch uses (likes, identity events, notifications). */
  ignored: number;
  /** Reposts whose original's tags could not be found (handed on without tags). */
  unresolvedReposts: number;
  /** Deletions of posts this collector never saw, so it could not name them (Mastodon ids are per instance). */
  unresolvedDeletions: number;
  /** Error messages the server sent inside the stream. */
  serverErrors: number;
  /** Statuses fetched through a REST timeline after a reconnect (Mastodon), before duplicates were dropped. */
  caughtUp: number;
  /** Sessions currently open. */
  connections: number;
  /** True while reading is paused because the pipeline is behind. */
  paused: boolean;
  /** Frames read but not yet handed on. */
  bufferedFrames: number;
  /** Now minus the event time of the newest post handed on, in ms (0 before the first). */
  lagMs: number;
}
