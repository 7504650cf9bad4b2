using RingRift.P2P.Swim;

namespace RingRift.P2P.Testing.Simulation;

/// <summary>
/// Wraps a simulated <see cref="ISwimTransport"/> so that a node's <c>await SendRequestAsync(...)
/// .ConfigureAwait(false)</c> continues inline on the clock thread, at the instant the response arrives.
/// </summary>
/// <remarks>
/// Why: while <see cref="SimClock"/> runs, <see cref="SynchronizationContext.Current"/> is the clock's
/// context, and .NET never inlines a <c>ConfigureAwait(false)</c> continuation under a non-default
/// context; it queues it to the thread pool instead, where it races the clock and breaks replay. Here
/// the request task is mirrored into a second task that is completed with no synchronization context
/// current, so the node's continuation runs synchronously inside the clock event that completed it.
/// </remarks>
internal sealed class InlineCompletionTransport(ISwimTransport inner) : ISwimTransport
{
    public SwimEndpoint Local => inner.Local;

    public void SendPacket(SwimEndpoint to, byte[] packet) => inner.SendPacket(to, packet);

    public void Attach(Action<SwimEndpoint, byte[]> onPacket, Func<SwimEndpoint, byte[], byte[]?> onRequest) =>
        inner.Attach(onPacket, onRequest);

    public Task<byte[]?> SendRequestAsync(SwimEndpoint to, byte[] request, TimeSpan timeout, CancellationToken ct)
    {
        Task<byte[]?> pending = inner.SendRequestAsync(to, request, timeout, ct);
        if (pending.IsCompleted)
        {
            return pending; // awaiting a completed task never schedules anything
        }

        var mirror = new TaskCompletionSource<byte[]?>();
        pending.ContinueWith(
            done => CompleteWithoutContext(mirror, done),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return mirror.Task;
    }

    private static void CompleteWithoutContext(TaskCompletionSource<byte[]?> mirror, Task<byte[]?> done)
    {
        SynchronizationContext? saved = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            if (done.IsCanceled)
            {
                mirror.TrySetCanceled();
            }
            else if (done.IsFaulted)
            {
                mirror.TrySetException(done.Exception!.InnerExceptions);
            }
            else
            {
                mirror.TrySetResult(done.Result);
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(saved);
        }
    }
}
