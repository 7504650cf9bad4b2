using System.Threading.Channels;

namespace RingRift.P2P.Raft.Node;

/// <summary>
/// Group commit: concurrent commands are queued, and whenever one of
/// <c>maxInFlight</c> replication slots is free, everything queued (up to <c>maxBatch</c>) goes
/// into ONE log entry. While all slots are busy commands pile up, so batches grow with load and one
/// durable commit serves many clients. A <see cref="PruneWork"/> always gets an entry to itself: a member of
/// an older release cannot read it and skips the entry, which must then hold nothing else.
/// </summary>
internal sealed class GroupCommitter : IAsyncDisposable
{
    /// <summary>
    /// Callers answered by a batch usually send their next command within microseconds (a dispatcher,
    /// a worker loop, a relay). When a slot frees while fewer commands are queued than the last batch
    /// answered, the committer yields its thread up to this many times so those callers join this entry
    /// rather than trail into the next round (batch sizes otherwise alternate big/small). A queue that is
    /// already that long, or a lone caller, does not wait.
    /// </summary>
    private const int GatherYields = 32;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<CommandBatch, ReadOnlyMemory<byte>, CancellationToken, Task> _replicate;
    private readonly SemaphoreSlim _slots;
    private readonly int _maxBatch;
    private readonly TimeSpan _commitTimeout;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _batches;
    private long _commands;
    private int _lastCompleted; // commands the last answered batch held
    private int _queued; // commands submitted and not yet taken into a batch (the channel cannot count)

    /// <param name="replicate">Appends the encoded batch to the log with the batch as context; returns after commit and local apply, throws otherwise.</param>
    public GroupCommitter(Func<CommandBatch, ReadOnlyMemory<byte>, CancellationToken, Task> replicate, int maxBatch, int maxInFlight, TimeSpan commitTimeout)
    {
        _replicate = replicate;
        _maxBatch = maxBatch;
        _commitTimeout = commitTimeout;
        _slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Log entries written so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Commands written so far.</summary>
    public long Commands => Interlocked.Read(ref _commands);

    public Task<WorkCommandResult> SubmitAsync(WorkCommand command, CancellationToken ct)
    {
        var pending = new Pending(command);
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _queued);
            throw new ObjectDisposedException(nameof(GroupCommitter), "the Raft node is stopping");
        }
        return ct.CanBeCanceled ? pending.Completion.Task.WaitAsync(ct) : pending.Completion.Task;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_maxBatch);
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                await _slots.WaitAsync(_stop.Token).ConfigureAwait(false);
                var target = Volatile.Read(ref _lastCompleted);
                for (var y = 0; y < GatherYields && Volatile.Read(ref _queued) < target; y++) await Task.Yield();
                while (batch.Count < _maxBatch && reader.TryPeek(out var next))
                {
                    if (batch.Count > 0 && next.Command is PruneWork) break; // it goes alone into the next entry
                    reader.TryRead(out var pending);
                    batch.Add(pending!);
                    if (pending!.Command is PruneWork) break;
                }
                Interlocked.Add(ref _queued, -batch.Count);
                if (batch.Count == 0)
                {
                    _slots.Release();
                    continue;
                }
                _ = ReplicateAsync(batch.ToArray());
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        var stopping = new ObjectDisposedException(nameof(GroupCommitter), "the Raft node stopped before the command was replicated");
        foreach (var pending in batch) pending.Completion.TrySetException(stopping);
        while (reader.TryRead(out var left)) left.Completion.TrySetException(stopping);
    }

    private async Task ReplicateAsync(Pending[] pending)
    {
        try
        {
            var commands = new WorkCommand[pending.Length];
            for (var i = 0; i < pending.Length; i++) commands[i] = pending[i].Command;
            var batch = new CommandBatch(commands);
            var payload = WorkCommandCodec.EncodeBatch(commands);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_commitTimeout);
            await _replicate(batch, payload, timeout.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _commands, pending.Length);
            if (batch.Results is not { } results || results.Count != pending.Length)
            {
                var lost = new RaftCommitUnknownException("the entry committed but its results were not returned by the state machine; retry with the same command id");
                foreach (var p in pending) p.Completion.TrySetException(lost);
                return;
            }
            Volatile.Write(ref _lastCompleted, pending.Length);
            for (var i = 0; i < pending.Length; i++) pending[i].Completion.TrySetResult(results[i]);
        }
        catch (Exception error)
        {
            var failure = error as NotRaftLeaderException as Exception
                ?? new RaftCommitUnknownException($"replication did not finish ({error.GetType().Name}: {error.Message}); the command may still commit, retry with the same command id", error);
            foreach (var p in pending) p.Completion.TrySetException(failure);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private sealed class Pending(WorkCommand command)
    {
        public WorkCommand Command { get; } = command;
        public TaskCompletionSource<WorkCommandResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>
/// A write whose outcome is unknown: replication failed or timed out after the entry may have been
/// appended, so it may still commit under the next leader. Retry with the same command id.
/// </summary>
public sealed class RaftCommitUnknownException(string message, Exception? inner = null) : Exception(message, inner);
