namespace RingRift.P2P.Testing.Simulation;

/// <summary>
/// How one direction of a simulated link behaves. A datagram is lost with probability
/// <see cref="Loss"/>; otherwise it arrives after <c>Latency + U[0, Jitter]</c> (uniform, whole ticks)
/// and, with probability <see cref="Duplicate"/>, a second copy arrives after its own independently
/// drawn delay. Stream requests and responses ignore loss and duplication but take the same delay.
/// </summary>
/// <remarks>Defaults: no loss, 1 ms latency, no jitter, no duplication (<see cref="Default"/>).</remarks>
public sealed record LinkProfile
{
    /// <summary>1 ms latency, nothing else.</summary>
    public static readonly LinkProfile Default = new();

    private readonly double _loss;
    private readonly TimeSpan _latency = TimeSpan.FromMilliseconds(1);
    private readonly TimeSpan _jitter;
    private readonly double _duplicate;

    /// <summary>Probability in [0, 1] that a datagram is dropped. 0 by default.</summary>
    public double Loss
    {
        get => _loss;
        init => _loss = Probability(value, nameof(Loss));
    }

    /// <summary>Fixed one-way delay, ≥ 0. 1 ms by default.</summary>
    public TimeSpan Latency
    {
        get => _latency;
        init => _latency = NonNegative(value, nameof(Latency));
    }

    /// <summary>Upper bound of the uniform extra delay added to <see cref="Latency"/>, ≥ 0. 0 by default.</summary>
    public TimeSpan Jitter
    {
        get => _jitter;
        init => _jitter = NonNegative(value, nameof(Jitter));
    }

    /// <summary>Probability in [0, 1] that a delivered datagram also arrives a second time. 0 by default.</summary>
    public double Duplicate
    {
        get => _duplicate;
        init => _duplicate = Probability(value, nameof(Duplicate));
    }

    private static double Probability(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; allowed: 0..1.");
        }

        return value;
    }

    private static TimeSpan NonNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; allowed: >= 00:00:00.");
        }

        return value;
    }
}
