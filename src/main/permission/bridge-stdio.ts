// The bridge's stdio transport: newline-delimited JSON-RPC on stdin/stdout, in the SDK's Transport
// shape, with no runtime imports (the SDK's StdioServerTransport pulls in the SDK and zod, which
// dominated the bridge's start). A line that is not JSON, or one over the size limit, is reported
// through onerror and skipped; nothing read from stdin can stop the process.
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { BridgeTransport } from './bridge-mcp.js';

export interface LineTransportOptions {
  /** Largest line accepted, newline excluded; a longer one is dropped whole. */
  maxLineBytes: number;
}

export class StdioLineTransport implements BridgeTransport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** Gets every line that is JSON, unparsed beyond that: the receiver reads the envelope itself. */
  onmessage?: (message: unknown) => void;

  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Inside a line that went over the limit: drop bytes until its newline. */
  private skipping = false;
  private started = false;

  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
    private readonly options: LineTransportOptions,
  ) {}

  private readonly onData = (chunk: Buffer | string): void => {
    let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let newline = data.indexOf(10);
    while (newline !== -1) {
      const tail = data.subarray(0, newline);
      if (this.skipping) this.skipping = false;
      else if (this.buffered + tail.length > this.options.maxLineBytes)
        this.report(new Error(`dropped a message over ${this.options.maxLineBytes} bytes`));
      else this.deliver(this.chunks.length === 0 ? tail : Buffer.concat([...this.chunks, tail]));
      this.chunks = [];
      this.buffered = 0;
      data = data.subarray(newline + 1);
      newline = data.indexOf(10);
    }
    if (data.length === 0 || this.skipping) return;
    if (this.buffered + data.length > this.options.maxLineBytes) {
      this.report(new Error(`dropped a message over ${this.options.maxLineBytes} bytes`));
      this.chunks = [];
      this.buffered = 0;
      this.skipping = true;
      return;
    }
    this.chunks.push(data);
    this.buffered += data.length;
  };

  private readonly onInputError = (error: Error): void => this.report(error);

  private deliver(line: Buffer): void {
    const text = line.toString('utf8').replace(/\r$/, '');
    if (text.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      this.report(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    try {
      this.onmessage?.(message);
    } catch (error) {
      this.report(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private report(error: Error): void {
    this.onerror?.(error);
  }

  start(): Promise<void> {
    if (this.started) return Promise.reject(new Error('the stdio transport is already started'));
    this.started = true;
    this.input.on('data', this.onData);
    this.input.on('error', this.onInputError);
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.output.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.output.once('drain', () => resolve());
    });
  }

  close(): Promise<void> {
    this.input.off('data', this.onData);
    this.input.off('error', this.onInputError);
    this.chunks = [];
    this.buffered = 0;
    this.onclose?.();
    return Promise.resolve();
  }
}
