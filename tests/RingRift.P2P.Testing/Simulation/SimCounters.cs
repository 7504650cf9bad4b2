namespace RingRift.P2P.Testing.Simulation;

/// <summary>
/// Traffic of one simulated endpoint (or the sum over all of them), for cost figures.
/// </summary>
/// <remarks>
/// Drops are counted on the SENDER: <see cref="DroppedLoss"/> by the link's loss draw,
/// <see cref="DroppedPartition"/> by a partition or one-way block (at send time or while in flight),
/// <see cref="DroppedCrash"/> because the sender or receiver was crashed or unknown (including
/// deliveries held by a stalled receiver that crashed before waking). Stream counters cover
/// <c>ISwimTransport.SendRequestAsync</c>: request bytes count as sent by the requester, response bytes as
/// sent by the responder.
/// </remarks>
public readonly record struct SimCounters(
    long PacketsSent,
    long BytesSent,
    long PacketsReceived,
    long BytesReceived,
    long DroppedLoss,
    long DroppedPartition,
    long DroppedCrash,
    long Duplicated,
    long RequestsSent,
    long RequestsReceived,
    long StreamBytesSent,
    long StreamBytesReceived)
{
    /// <summary>Packets this endpoint sent that were dropped for any reason.</summary>
    public long Dropped => DroppedLoss + DroppedPartition + DroppedCrash;

    public static SimCounters operator +(SimCounters a, SimCounters b) => new(
        a.PacketsSent + b.PacketsSent,
        a.BytesSent + b.BytesSent,
        a.PacketsReceived + b.PacketsReceived,
        a.BytesReceived + b.BytesReceived,
        a.DroppedLoss + b.DroppedLoss,
        a.DroppedPartition + b.DroppedPartition,
        a.DroppedCrash + b.DroppedCrash,
        a.Duplicated + b.Duplicated,
        a.RequestsSent + b.RequestsSent,
        a.RequestsReceived + b.RequestsReceived,
        a.StreamBytesSent + b.StreamBytesSent,
        a.StreamBytesReceived + b.StreamBytesReceived);
}

/// <summary>The mutable tallies behind <see cref="SimCounters"/> (single simulation thread).</summary>
internal sealed class SimCounterSet
{
    internal long PacketsSent;
    internal long BytesSent;
    internal long PacketsReceived;
    internal long BytesReceived;
    internal long DroppedLoss;
    internal long DroppedPartition;
    internal long DroppedCrash;
    internal long Duplicated;
    internal long RequestsSent;
    internal long RequestsReceived;
    internal long StreamBytesSent;
    internal long StreamBytesReceived;

    internal void Reset()
    {
        PacketsSent = BytesSent = PacketsReceived = BytesReceived = 0;
        DroppedLoss = DroppedPartition = DroppedCrash = Duplicated = 0;
        RequestsSent = RequestsReceived = StreamBytesSent = StreamBytesReceived = 0;
    }

    internal SimCounters Snapshot() => new(
        PacketsSent, BytesSent, PacketsReceived, BytesReceived, DroppedLoss, DroppedPartition, DroppedCrash,
        Duplicated, RequestsSent, RequestsReceived, StreamBytesSent, StreamBytesReceived);
}
