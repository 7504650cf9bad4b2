namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// Thread-safe counters of inbound packets for <c>/status</c>. Every received packet ends up in exactly
/// one of accepted, dropped for authentication, or dropped for decoding:
/// <c>Received = Accepted + DroppedAuth + DroppedDecode</c> once all in-flight packets are recorded.
/// </summary>
public sealed class PacketStats
{
    private readonly long[] _droppedDecodeByError = new long[256];
    private long _received;
    private long _accepted;
    private long _droppedAuth;
    private long _droppedDecode;

    /// <summary>A packet arrived.</summary>
    public void RecordReceived() => Interlocked.Increment(ref _received);

    /// <summary>A packet authenticated and decoded.</summary>
    public void RecordAccepted() => Interlocked.Increment(ref _accepted);

    /// <summary>A packet failed authentication.</summary>
    public void RecordDroppedAuth() => Interlocked.Increment(ref _droppedAuth);

    /// <summary>A packet authenticated but failed to decode for <paramref name="error"/>.</summary>
    public void RecordDroppedDecode(DecodeError error)
    {
        if (error == DecodeError.None)
            throw new ArgumentOutOfRangeException(nameof(error), error, "error must be a failure reason, not DecodeError.None.");
        Interlocked.Increment(ref _droppedDecodeByError[(byte)error]);
        Interlocked.Increment(ref _droppedDecode);
    }

    /// <summary>Packets received so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Packets accepted so far.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Packets dropped for a bad or missing tag.</summary>
    public long DroppedAuth => Interlocked.Read(ref _droppedAuth);

    /// <summary>Packets dropped because they did not decode.</summary>
    public long DroppedDecode => Interlocked.Read(ref _droppedDecode);

    /// <summary>Packets dropped for <paramref name="error"/>.</summary>
    public long DroppedDecodeFor(DecodeError error) => Interlocked.Read(ref _droppedDecodeByError[(byte)error]);

    /// <summary>A copy of the counters (each read atomically; the set is not one atomic cut).</summary>
    public PacketStatsSnapshot Snapshot()
    {
        var byError = new Dictionary<DecodeError, long>();
        foreach (var error in Enum.GetValues<DecodeError>())
        {
            var count = DroppedDecodeFor(error);
            if (count > 0) byError[error] = count;
        }
        return new PacketStatsSnapshot(Received, Accepted, DroppedAuth, DroppedDecode, byError);
    }
}

/// <summary>Counters from <see cref="PacketStats.Snapshot"/>; <paramref name="DroppedDecodeByError"/> lists only non-zero reasons.</summary>
public sealed record PacketStatsSnapshot(
    long Received,
    long Accepted,
    long DroppedAuth,
    long DroppedDecode,
    IReadOnlyDictionary<DecodeError, long> DroppedDecodeByError);
