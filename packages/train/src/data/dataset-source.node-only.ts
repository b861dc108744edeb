/**
 * Node-only: training batches from a prepared dataset through @th/data's K-shot stream (sequential
 * shard reads, bounded shuffle buffer, decoding on worker threads ahead of the step). Its state
 * is the stream's {epoch, position}; restoring one reopens the stream there, exactly.
 */
import {
  batchToTensors,
  type KShotStream,
  type KShotStreamOptions,
  type KShotStreamState,
  openKShotStream,
} from '@th/data/node';
import type { ExampleBatch, ExampleSource, SourceState } from './example-source';

export interface DatasetSourceOptions extends Omit<KShotStreamOptions, 'state' | 'epochs'> {
  batchSize: number;
}

function parseState(state: SourceState): KShotStreamState {
  const { epoch, position } = state as Partial<KShotStreamState>;
  if (!Number.isInteger(epoch) || !Number.isInteger(position))
    throw new Error(
      `training data state: expected {epoch, position} integers, got ${JSON.stringify(state)}` +
        ('batches' in state
          ? ' (checkpoints of the in-memory sampler of earlier versions cannot be resumed)'
          : ''),
    );
  return { epoch: epoch!, position: position! };
}

export class DatasetSource implements ExampleSource {
  readonly batchSize: number;
  readonly k: number;
  readonly resolution: number;

  private constructor(
    private stream: KShotStream,
    private readonly options: DatasetSourceOptions,
  ) {
    this.batchSize = options.batchSize;
    this.k = options.k;
    this.resolution = stream.index.resolution;
  }

  static async open(options: DatasetSourceOptions, state?: SourceState): Promise<DatasetSource> {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
      throw new Error(`batch size must be a positive integer, got ${options.batchSize}`);
    const stream = await openKShotStream({
      ...options,
      prefetch: options.prefetch ?? Math.max(8, 2 * options.batchSize),
      ...(state ? { state: parseState(state) } : {}),
    });
    return new DatasetSource(stream, options);
  }

  /** Examples this rank sees per epoch. */
  get epochLength(): number {
    return this.stream.epochLength;
  }

  async next(): Promise<ExampleBatch> {
    return batchToTensors(await this.stream.nextBatch(this.batchSize));
  }

  getState(): SourceState {
    return { ...this.stream.state() };
  }

  async setState(state: SourceState): Promise<void> {
    const parsed = parseState(state);
    await this.stream.close();
    this.stream = await openKShotStream({
      ...this.options,
      prefetch: this.options.prefetch ?? Math.max(8, 2 * this.options.batchSize),
      state: parsed,
    });
  }

  close(): Promise<void> {
    return this.stream.close();
  }
}
