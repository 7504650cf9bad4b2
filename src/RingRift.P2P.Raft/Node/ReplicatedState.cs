using System.Buffers;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Raft.Node;

/// <summary>The commands of one log entry and, once the leader has applied it, their results.</summary>
internal sealed class CommandBatch(IReadOnlyList<WorkCommand> commands)
{
    public IReadOnlyList<WorkCommand> Commands { get; } = commands;
    public IReadOnlyList<WorkCommandResult>? Results { get; set; }
}

/// <summary>
/// Drives <see cref="WorkQueueStateMachine"/> from DotNext's write-ahead log: each entry holds a
/// batch of work commands (or nothing: Raft no-ops and configuration entries are skipped), whole
/// state snapshots are JSON. Entries at or below the applied index are skipped, so a snapshot that
/// already holds an entry never applies it twice.
/// </summary>
internal sealed class ReplicatedState : SimpleStateMachine
{
    private readonly Lock _gate = new();
    private readonly int _snapshotEvery;
    private readonly ILogger _logger;
    private WorkQueueStateMachine _state;
    private int _sinceSnapshot;

    public ReplicatedState(DirectoryInfo location, int recentCapacity, int snapshotEvery, ILogger logger)
        : base(location)
    {
        _snapshotEvery = snapshotEvery;
        _logger = logger;
        _state = new WorkQueueStateMachine(recentCapacity);
    }

    /// <summary>Index of the last entry applied to the state.</summary>
    public long LastApplied
    {
        get { lock (_gate) return _state.LastAppliedIndex; }
    }

    /// <summary>Entries whose payload could not be decoded (skipped on every node alike).</summary>
    public long CorruptEntries { get; private set; }

    /// <summary>Snapshots written since start.</summary>
    public long SnapshotsWritten { get; private set; }

    /// <summary>Runs <paramref name="read"/> under the applier's lock.</summary>
    public T Read<T>(Func<WorkQueueStateMachine, T> read)
    {
        lock (_gate) return read(_state);
    }

    protected override ValueTask<bool> ApplyAsync(LogEntry entry, CancellationToken token)
    {
        var batch = entry.Context as CommandBatch;
        lock (_gate)
        {
            if (entry.IsSnapshot || entry.Index <= _state.LastAppliedIndex)
                return ValueTask.FromResult(false);
            if (entry.IsConfiguration || !entry.TryGetPayload(out var payload) || payload.IsEmpty)
            {
                _state.SkipEntry(entry.Index);
                return ValueTask.FromResult(false);
            }
            IReadOnlyList<WorkCommand> commands;
            try
            {
                commands = WorkCommandCodec.DecodeBatch(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray());
            }
            catch (WorkCommandFormatException bad)
            {
                CorruptEntries++;
                _logger.CorruptEntry(entry.Index, entry.Term, bad.Message);
                _state.SkipEntry(entry.Index);
                return ValueTask.FromResult(false);
            }
            var results = _state.ApplyBatch(commands, entry.Index, entry.Term);
            if (batch is not null) batch.Results = results;
            _sinceSnapshot += commands.Count;
            // At least 4 commands per item held between snapshots, so the cost of writing them stays a bounded share of the work.
            if (_sinceSnapshot < Math.Max(_snapshotEvery, 4L * _state.Count)) return ValueTask.FromResult(false);
            _sinceSnapshot = 0;
            return ValueTask.FromResult(true);
        }
    }

    protected override async ValueTask PersistAsync(IAsyncBinaryWriter writer, CancellationToken token)
    {
        WorkQueueStateMachine.SnapshotCapture capture;
        lock (_gate) capture = _state.CaptureSnapshot(); // references only: the applier waits microseconds, not the whole write
        // Streamed into the log's writer a serializer buffer at a time (see SnapshotCapture.WriteToAsync).
        await using var stream = Stream.CreateAsyncWritable(static (chunk, output, ct) => output.WriteAsync(chunk, null, ct), writer);
        await capture.WriteToAsync(stream, token).ConfigureAwait(false);
        await stream.FlushAsync(token).ConfigureAwait(false);
        SnapshotsWritten++;
    }

    protected override async ValueTask RestoreAsync(FileInfo snapshotFile, CancellationToken token)
    {
        WorkQueueStateMachine restored;
        await using (var stream = new FileStream(snapshotFile.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: false))
            restored = WorkQueueStateMachine.ReadSnapshot(stream);
        lock (_gate) _state = restored;
        _logger.SnapshotRestored(snapshotFile.Name, restored.LastAppliedIndex, restored.Count);
    }
}
