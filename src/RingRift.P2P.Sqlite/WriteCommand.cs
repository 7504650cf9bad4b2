namespace RingRift.P2P.Sqlite;

/// <summary>
/// One write waiting for the writer loop. Its caller is answered only after the batch holding it
/// has committed, so an acknowledged write is always on disk.
/// </summary>
/// <remarks>
/// State moves once from pending to either taken (the writer will run it) or cancelled (the
/// caller gave up first), so a cancelled caller never has a write made on its behalf.
/// </remarks>
internal abstract class WriteCommand(bool multiStatement)
{
    private const int Pending = 0, Taken = 1, Cancelled = 2;
    private int _state;

    /// <summary>
    /// True when the command writes with more than one statement and so needs a savepoint to be
    /// undone alone; a single SQL statement is atomic by itself.
    /// </summary>
    public bool MultiStatement { get; } = multiStatement;

    /// <summary>Claims the command for the writer; false when the caller already cancelled it.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Pending) == Pending;

    /// <summary>Withdraws the command if the writer has not taken it yet.</summary>
    public void TryCancel(CancellationToken ct)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Pending) == Pending)
            Cancel(ct);
    }

    /// <summary>Runs the write inside the open transaction, keeping its outcome for <see cref="Publish"/>.</summary>
    public abstract void Run();

    /// <summary>What <see cref="Run"/> threw, or null.</summary>
    public abstract Exception? Error { get; }

    /// <summary>Answers the caller with the outcome kept by <see cref="Run"/> (after commit).</summary>
    public abstract void Publish();

    /// <summary>Answers the caller with a failure of the whole batch (the transaction did not commit).</summary>
    public abstract void Fail(Exception error);

    protected abstract void Cancel(CancellationToken ct);
}

/// <summary>A write returning <typeparamref name="T"/>.</summary>
internal sealed class WriteCommand<T>(Func<T> work, bool multiStatement) : WriteCommand(multiStatement)
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private Exception? _error;

    public Task<T> Task => _completion.Task;

    public override Exception? Error => _error;

    public override void Run()
    {
        try
        {
            _result = work();
        }
        catch (Exception error)
        {
            _error = error;
        }
    }

    public override void Publish()
    {
        if (_error is not null)
            _completion.TrySetException(_error);
        else
            _completion.TrySetResult(_result!);
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);

    protected override void Cancel(CancellationToken ct) => _completion.TrySetCanceled(ct);
}
