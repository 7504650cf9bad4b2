using RingRift.P2P.Swim;

namespace RingRift.P2P.Testing.Simulation;

/// <summary>A datagram reaching its receiver's network interface.</summary>
internal sealed class PacketArrival(SimNetwork network, SimHost from, SimHost to, byte[] packet) : SimWork
{
    internal SimHost From { get; } = from;

    internal SimHost To { get; } = to;

    internal byte[] Packet { get; } = packet;

    internal override void Execute() => network.ArrivePacket(this);
}

/// <summary>A datagram handed to the receiver's handler (possibly after a stall).</summary>
internal sealed class PacketHandOver(SimNetwork network, PacketArrival arrival) : SimWork
{
    internal override void Execute() => network.HandOverPacket(arrival);
}

/// <summary>
/// One stream request and its response: travels to the responder, runs its handler, travels back, and
/// completes the requester's task with the response, or with null on close or timeout.
/// </summary>
internal sealed class RequestExchange
{
    private readonly TaskCompletionSource<byte[]?> _completion = new();
    private ITimer? _timeout;
    private CancellationTokenRegistration _cancellation;

    internal RequestExchange(SimHost from, SimHost? to, SwimEndpoint target, byte[] request)
    {
        From = from;
        To = to;
        Target = target;
        Request = request;
    }

    internal SimHost From { get; }

    internal SimHost? To { get; }

    internal SwimEndpoint Target { get; }

    internal byte[] Request { get; }

    internal byte[]? Response { get; set; }

    internal Task<byte[]?> Task => _completion.Task;

    internal bool IsDone => _completion.Task.IsCompleted;

    internal void Arm(ITimer timeout, CancellationToken ct)
    {
        _timeout = timeout;
        if (ct.CanBeCanceled)
        {
            _cancellation = ct.Register(static state =>
            {
                var (exchange, token) = ((RequestExchange, CancellationToken))state!;
                exchange.Finish(canceled: token);
            }, (this, ct));
        }
    }

    /// <summary>Completes with <paramref name="response"/>; false when already done.</summary>
    internal bool Complete(byte[]? response)
    {
        if (!_completion.TrySetResult(response))
        {
            return false;
        }

        Release();
        return true;
    }

    private void Finish(CancellationToken canceled)
    {
        if (_completion.TrySetCanceled(canceled))
        {
            Release();
        }
    }

    private void Release()
    {
        _timeout?.Dispose();
        _cancellation.Dispose();
    }
}

/// <summary>A step of a <see cref="RequestExchange"/> run on the clock, possibly held by a stall.</summary>
internal sealed class ExchangeStep(Action<RequestExchange> step, RequestExchange exchange) : SimWork
{
    internal override void Execute() => step(exchange);
}
