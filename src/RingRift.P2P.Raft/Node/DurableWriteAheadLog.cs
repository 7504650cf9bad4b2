using DotNext.IO.Log;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;

namespace RingRift.P2P.Raft.Node;

/// <summary>
/// DotNext's write-ahead log with one change: entries a follower receives are on disk before it
/// answers the leader. DotNext 6.12 flushes appended entries in the background and a follower
/// acknowledges right after appending, so the leader can commit (and apply) an entry that no
/// follower has flushed yet; if both followers then crash within that moment they restart without
/// it, elect one of themselves and write something else at that index, and the old leader, which
/// had applied the first entry, can no longer follow. Raft requires an acknowledged entry to be
/// durable, so the replicated-append path here waits for the log's own flush before returning.
///
/// DotNext waits for its flusher through a single-waiter event, and both the flush here and a commit
/// that has to wait for unflushed entries use it; two waiters at once break the process. Every such
/// wait therefore goes through one gate. The leader's appends are unchanged: its commit already waits
/// for its own flush.
/// </summary>
internal sealed class DurableWriteAheadLog(WriteAheadLog.Options options, IStateMachine stateMachine)
    : WriteAheadLog(options, stateMachine), IAuditTrail<IRaftLogEntry>
{
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly string _location = options.Location;
    private long _followerFlushes;
    private long _followerFlushTicks;

    /// <summary>
    /// The node's storage flag, or null. With it, a follower refuses to append while the disk is full or
    /// nearly so (the leader retries later): DotNext's log stays failed after a write that ran out of space.
    /// </summary>
    public RingRift.P2P.Storage.StorageHealth? Storage { get; init; }

    /// <summary>Replicated appends this member flushed before acknowledging them.</summary>
    public long FollowerFlushes => Interlocked.Read(ref _followerFlushes);

    /// <summary>Time those flushes took, waiting for the flush gate included: what they added before each acknowledgement.</summary>
    public TimeSpan FollowerFlushTime => System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _followerFlushTicks));

    async ValueTask IAuditTrail<IRaftLogEntry>.AppendAsync<TEntry>(ILogEntryProducer<TEntry> entries, long startIndex, bool skipCommitted, CancellationToken token)
    {
        Storage?.EnsureRoom(_location);
        await AppendAsync(entries, startIndex, skipCommitted, token).ConfigureAwait(false);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await _flushGate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            await FlushAsync(token).ConfigureAwait(false);
        }
        finally
        {
            _flushGate.Release();
        }
        Interlocked.Add(ref _followerFlushTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
        Interlocked.Increment(ref _followerFlushes);
    }

    async ValueTask<long> IAuditTrail.CommitAsync(long endIndex, CancellationToken token)
    {
        await _flushGate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            return await CommitAsync(endIndex, token).ConfigureAwait(false);
        }
        finally
        {
            _flushGate.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _flushGate.Dispose();
        base.Dispose(disposing);
    }
}
