/**
 * `RoutedAgent`: an agent whose handlers are declared per message type, in a static block of the class.
 *
 * ```ts
 * class Counter extends RoutedAgent {
 *   count = 0;
 *   static {
 *     this.rpc(Increment, this.prototype.onIncrement);
 *     this.event(Reset, async function () { this.count = 0; });
 *   }
 *   async onIncrement(msg: Increment, ctx: MessageContext): Promise<number> {
 *     this.count += msg.by;
 *     return this.count;
 *   }
 * }
 * ```
 *
 * Handlers live on the class, not on each instance, so a hundred thousand idle agents cost no more than
 * their own fields. The handler's parameter type is checked against the message type.
 */
import { DeliveryError } from "../errors.js";
import type { MessageContext } from "./agent.js";
import { BaseAgent, type BaseAgentOptions } from "./base-agent.js";
import {
  describeMessage,
  isMessageTypeDescriptor,
  type MessageType,
  type MessageTypeDescriptor,
} from "./message-type.js";

/** Which deliveries a handler accepts: direct messages, published ones, or both. */
export type HandlerKind = "any" | "rpc" | "event";

/** Options of a handler registration. */
export interface HandlerOptions<M> {
  /** A further test: the handler runs only when it returns true (otherwise the next handler is tried). */
  readonly match?: (message: M, ctx: MessageContext) => boolean;
}

/** A handler function; `this` is the agent. */
export type MessageHandler<A, M, R = unknown> = (this: A, message: M, ctx: MessageContext) => R | Promise<R>;

interface HandlerSpec {
  readonly type: MessageType<unknown>;
  readonly kind: HandlerKind;
  readonly match: ((message: unknown, ctx: MessageContext) => boolean) | undefined;
  readonly fn: (message: unknown, ctx: MessageContext) => unknown;
}

/** The merged, cached handler table of one class (its own handlers first, then its parents'). */
class Router {
  readonly generation: number;
  readonly #classSpecs: HandlerSpec[] = [];
  readonly #descriptorSpecs: HandlerSpec[] = [];
  readonly #byConstructor = new Map<Function, readonly HandlerSpec[]>();

  constructor(specs: readonly HandlerSpec[], generation: number) {
    this.generation = generation;
    for (const spec of specs)
      (isMessageTypeDescriptor(spec.type) ? this.#descriptorSpecs : this.#classSpecs).push(spec);
  }

  /** The first handler that accepts the message in this context. */
  find(message: unknown, ctx: MessageContext): HandlerSpec | undefined {
    if (typeof message === "object" && message !== null) {
      const ctor = (message as object).constructor;
      if (typeof ctor === "function" && ctor !== Object) {
        let candidates = this.#byConstructor.get(ctor);
        if (candidates === undefined) {
          candidates = this.#classSpecs.filter((s) => message instanceof (s.type as Function));
          this.#byConstructor.set(ctor, candidates);
        }
        for (const spec of candidates) if (accepts(spec, message, ctx)) return spec;
      }
    }
    for (const spec of this.#descriptorSpecs) {
      if ((spec.type as MessageTypeDescriptor<unknown>).is(message) && accepts(spec, message, ctx))
        return spec;
    }
    return undefined;
  }
}

function accepts(spec: HandlerSpec, message: unknown, ctx: MessageContext): boolean {
  if (spec.kind === "rpc" && !ctx.isRpc) return false;
  if (spec.kind === "event" && ctx.isRpc) return false;
  return spec.match === undefined || spec.match(message, ctx);
}

const ownSpecs = new WeakMap<Function, HandlerSpec[]>();
const routers = new WeakMap<Function, Router>();
/** Bumped by every registration, so that cached tables (of subclasses too) are rebuilt. */
let generation = 0;

function routerFor(ctor: Function): Router {
  let router = routers.get(ctor);
  if (router === undefined || router.generation !== generation) {
    const specs: HandlerSpec[] = [];
    for (
      let c: Function | null = ctor;
      c && c !== RoutedAgent && c !== Function.prototype;
      c = Object.getPrototypeOf(c)
    ) {
      const own = ownSpecs.get(c);
      if (own) specs.push(...own);
    }
    router = new Router(specs, generation);
    routers.set(ctor, router);
  }
  return router;
}

// biome-ignore lint/suspicious/noExplicitAny: a class of any constructor signature.
type AgentClass<A> = abstract new (...args: any[]) => A;

/** Options of {@link RoutedAgent}. */
export interface RoutedAgentOptions extends BaseAgentOptions {
  /**
   * Handle one message at a time, in arrival order. By default handlers interleave at their awaits
   * (AutoGen's semantics), which keeps agents responsive and RPC cycles deadlock-free.
   */
  readonly sequential?: boolean;
}

/** An agent that dispatches each message to the handler declared for its type. */
export abstract class RoutedAgent extends BaseAgent {
  #tail: Promise<unknown> | undefined;

  constructor(options: RoutedAgentOptions = {}) {
    super(options);
    if (options.sequential) this.#tail = Promise.resolve();
  }

  /**
   * Declares a handler for direct and published messages of a type. For a direct message, the return
   * value is the reply. Call it in a `static {}` block of the agent class.
   */
  static handle<A extends RoutedAgent, M>(
    this: AgentClass<A>,
    type: MessageType<M>,
    handler: MessageHandler<A, M>,
    options: HandlerOptions<M> = {},
  ): void {
    addSpec(this, type, "any", handler, options);
  }

  /** Declares a handler for direct messages (RPC) of a type; its return value is the reply. */
  static rpc<A extends RoutedAgent, M, R>(
    this: AgentClass<A>,
    type: MessageType<M>,
    handler: MessageHandler<A, M, R>,
    options: HandlerOptions<M> = {},
  ): void {
    addSpec(this, type, "rpc", handler, options);
  }

  /** Declares a handler for published messages (events) of a type. */
  static event<A extends RoutedAgent, M>(
    this: AgentClass<A>,
    type: MessageType<M>,
    handler: MessageHandler<A, M, void>,
    options: HandlerOptions<M> = {},
  ): void {
    addSpec(this, type, "event", handler, options);
  }

  /** Routes the message to its handler (see the class documentation). */
  onMessage(message: unknown, ctx: MessageContext): Promise<unknown> {
    if (this.#tail === undefined) return this.#dispatch(message, ctx);
    const run = this.#tail.then(() => this.#dispatch(message, ctx));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #dispatch(message: unknown, ctx: MessageContext): Promise<unknown> {
    const spec = routerFor(this.constructor).find(message, ctx);
    if (spec === undefined) return this.onUnhandledMessage(message, ctx);
    return spec.fn.call(this, message, ctx);
  }

  /**
   * Called when no handler accepts a message. Throws a `DeliveryError` with code `cant_handle`: the
   * runtime turns it into a rejected `sendMessage`, or a logged and dropped publish. Override to accept
   * anything.
   */
  protected onUnhandledMessage(message: unknown, ctx: MessageContext): Promise<unknown> {
    return Promise.reject(
      new DeliveryError(
        "cant_handle",
        `${this.constructor.name} has no ${ctx.isRpc ? "RPC" : "event"} handler for a ${describeMessage(message)} message`,
      ),
    );
  }
}

function addSpec<M>(
  ctor: Function,
  type: MessageType<M>,
  kind: HandlerKind,
  fn: Function,
  options: HandlerOptions<M>,
): void {
  let specs = ownSpecs.get(ctor);
  if (specs === undefined) {
    specs = [];
    ownSpecs.set(ctor, specs);
  }
  specs.push({
    type: type as MessageType<unknown>,
    kind,
    match: options.match as HandlerSpec["match"],
    fn: fn as HandlerSpec["fn"],
  });
  generation += 1;
}
