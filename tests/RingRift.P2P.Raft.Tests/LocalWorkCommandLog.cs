namespace RingRift.P2P.Raft.Tests;

/// <summary>
/// Test double of <see cref="IWorkCommandLog"/>: applies each submitted command at once to a local
/// <see cref="WorkQueueStateMachine"/> as the next log entry (index 1, 2, …, term 1), under a lock
/// shared with reads. Records every submitted command so tests can inspect ids and times.
/// </summary>
internal sealed class LocalWorkCommandLog(TimeProvider time) : IWorkCommandLog
{
    private readonly Lock _gate = new();
    private long _index;

    public WorkQueueStateMachine Machine { get; } = new();
    public List<WorkCommand> Submitted { get; } = [];
    public TimeProvider Time { get; } = time;

    public Task<WorkCommandResult> SubmitAsync(WorkCommand command, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Submitted.Add(command);
            return Task.FromResult(Machine.Apply(command, ++_index, 1));
        }
    }

    public Task<T> ReadAsync<T>(Func<WorkQueueStateMachine, T> read, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
            return Task.FromResult(read(Machine));
    }
}
