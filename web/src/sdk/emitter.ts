/**
 * A minimal typed event emitter: `on` returns the function that removes the handler. A handler that throws does not
 * stop the others nor the client; the error is reported through `onHandlerError` (console.error by default).
 */
export class Emitter<Events extends { [K in keyof Events]: (...args: never[]) => void }> {
  private readonly handlers = new Map<keyof Events, Set<Events[keyof Events]>>();

  constructor(private readonly onHandlerError: (error: unknown) => void = (error) => console.error(error)) {
  }

  on<K extends keyof Events>(event: K, handler: Events[K]): () => void {
    let set = this.handlers.get(event);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(handler);
    return () => {
      set!.delete(handler);
    };
  }

  emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    const set = this.handlers.get(event);
    if (set === undefined) {
      return;
    }
    for (const handler of [...set]) {
      try {
        (handler as (...a: Parameters<Events[K]>) => void)(...args);
      } catch (error) {
        this.onHandlerError(error);
      }
    }
  }
}
