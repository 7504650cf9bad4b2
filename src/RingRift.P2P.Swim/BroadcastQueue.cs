namespace RingRift.P2P.Swim;

/// <summary>
/// Infection-style dissemination buffer (SWIM §4.1): membership updates wait here and ride
/// piggybacked on ping, ack and ping-req packets until each has been sent
/// <c>RetransmitMult × ⌈log10(n + 1)⌉</c> times, n being the cluster size at the moment of sending.
/// </summary>
/// <remarks>
/// <para>At most one update per subject node is queued: enqueuing a newer update about the same node
/// replaces the older one, which is then never sent again (it carries stale news).</para>
/// <para>Packet filling order: fewest transmissions so far first, then most recently enqueued
/// first; ties cannot occur because every enqueue gets a fresh, increasing sequence number, so the
/// order is fully deterministic. Updates too large for the bytes left are skipped, smaller ones
/// behind them may still fit.</para>
/// <para>Thread-safe (one internal lock), although the SWIM node normally uses it from its single
/// writer loop. The byte arrays are stored and returned as given, not copied: callers must not
/// change them after enqueuing.</para>
/// </remarks>
public sealed class BroadcastQueue
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _bySubject = new(StringComparer.Ordinal);
    private readonly SortedSet<Entry> _order = new(SendOrder.Instance);
    private long _nextSequence;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="retransmitMult">
    /// Multiplier of <c>⌈log10(n + 1)⌉</c> in the retransmit limit; at least 1. memberlist uses 4 on
    /// LAN, which sends each update 4 times at n ≤ 9, 8 times at n ≤ 99 and 12 times at n ≤ 999.
    /// </param>
    public BroadcastQueue(int retransmitMult)
    {
        if (retransmitMult < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(retransmitMult), retransmitMult,
                $"retransmitMult is {retransmitMult}; it must be at least 1.");
        }

        RetransmitMult = retransmitMult;
    }

    /// <summary>Multiplier given to the constructor.</summary>
    public int RetransmitMult { get; }

    /// <summary>Number of updates waiting to be (re)sent.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _order.Count;
            }
        }
    }

    /// <summary>
    /// How many times each update is sent in a cluster of <paramref name="clusterSize"/> members:
    /// <c>RetransmitMult × ⌈log10(clusterSize + 1)⌉</c>, computed with integers (the ceiling equals the
    /// number of decimal digits of clusterSize), so n = 9 gives 1× and n = 10 gives 2× exactly.
    /// </summary>
    /// <remarks>Internal on purpose: the public formula lives with the other SWIM maths.</remarks>
    /// <param name="clusterSize">Known members including this node; at least 1.</param>
    internal int RetransmitLimit(int clusterSize)
    {
        if (clusterSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(clusterSize), clusterSize,
                $"clusterSize is {clusterSize}; it counts this node too, so it must be at least 1.");
        }

        return SwimMath.RetransmitLimit(RetransmitMult, clusterSize);
    }

    /// <summary>
    /// Queues <paramref name="encodedUpdate"/> about <paramref name="subjectNodeId"/>, replacing
    /// any update about the same node still queued (the newer one invalidates it).
    /// </summary>
    /// <returns><see langword="true"/> when an older update about the same node was replaced.</returns>
    public bool Enqueue(string subjectNodeId, byte[] encodedUpdate)
    {
        if (string.IsNullOrEmpty(subjectNodeId))
        {
            throw new ArgumentException(
                $"subjectNodeId is {(subjectNodeId is null ? "null" : "empty")}; a node id is required.",
                nameof(subjectNodeId));
        }

        ArgumentNullException.ThrowIfNull(encodedUpdate);
        if (encodedUpdate.Length == 0)
        {
            throw new ArgumentException(
                $"encodedUpdate for '{subjectNodeId}' has 0 bytes; an update must have at least 1 byte.",
                nameof(encodedUpdate));
        }

        lock (_gate)
        {
            bool replaced = false;
            if (_bySubject.Remove(subjectNodeId, out Entry? older))
            {
                _order.Remove(older);
                replaced = true;
            }

            var entry = new Entry(subjectNodeId, encodedUpdate, _nextSequence++);
            _bySubject.Add(subjectNodeId, entry);
            _order.Add(entry);
            return replaced;
        }
    }

    /// <summary>
    /// Picks the updates to piggyback on one packet and counts them as sent once more; an update
    /// that reaches <see cref="RetransmitLimit"/> sends leaves the queue.
    /// </summary>
    /// <param name="overheadPerItem">Framing bytes each update costs besides its own length; ≥ 0.</param>
    /// <param name="bytesAvailable">Room left in the packet; ≥ 0. Nothing fits in 0.</param>
    /// <param name="clusterSize">Known members including this node; at least 1.</param>
    /// <returns>The chosen updates in send order (least sent, then newest, first); empty when none fits.</returns>
    public IReadOnlyList<byte[]> TakeForPacket(int overheadPerItem, int bytesAvailable, int clusterSize)
    {
        if (overheadPerItem < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(overheadPerItem), overheadPerItem,
                $"overheadPerItem is {overheadPerItem}; it must be 0 or more.");
        }

        if (bytesAvailable < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bytesAvailable), bytesAvailable,
                $"bytesAvailable is {bytesAvailable}; it must be 0 or more.");
        }

        int limit = RetransmitLimit(clusterSize);

        lock (_gate)
        {
            var chosen = new List<Entry>();
            long room = bytesAvailable;
            foreach (Entry entry in _order)
            {
                long cost = (long)overheadPerItem + entry.Payload.Length;
                if (cost > room)
                {
                    continue; // too big for what is left; a smaller one further on may still fit
                }

                chosen.Add(entry);
                room -= cost;
                if (room <= overheadPerItem)
                {
                    break; // not even an empty item would fit any more
                }
            }

            var payloads = new byte[chosen.Count][];
            for (int i = 0; i < chosen.Count; i++)
            {
                Entry entry = chosen[i];
                payloads[i] = entry.Payload;

                // The sort key changes, so take the entry out before touching it.
                _order.Remove(entry);
                entry.Transmits++;
                if (entry.Transmits >= limit)
                {
                    _bySubject.Remove(entry.Subject);
                }
                else
                {
                    _order.Add(entry);
                }
            }

            return payloads;
        }
    }

    /// <summary>
    /// Keeps at most <paramref name="maxRetained"/> updates, dropping the most-sent ones first and,
    /// among equally sent, the oldest — the ones other members most likely already have.
    /// </summary>
    /// <returns>How many updates were dropped.</returns>
    public int Prune(int maxRetained)
    {
        if (maxRetained < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRetained), maxRetained,
                $"maxRetained is {maxRetained}; it must be 0 or more.");
        }

        lock (_gate)
        {
            int dropped = 0;
            while (_order.Count > maxRetained)
            {
                Entry last = _order.Max!;
                _order.Remove(last);
                _bySubject.Remove(last.Subject);
                dropped++;
            }

            return dropped;
        }
    }

    /// <summary>Transmissions so far of the queued update about <paramref name="subjectNodeId"/>, or null if none is queued.</summary>
    internal int? TransmitsOf(string subjectNodeId)
    {
        lock (_gate)
        {
            return _bySubject.TryGetValue(subjectNodeId, out Entry? entry) ? entry.Transmits : null;
        }
    }


    private sealed class Entry(string subject, byte[] payload, long sequence)
    {
        public string Subject { get; } = subject;
        public byte[] Payload { get; } = payload;
        public long Sequence { get; } = sequence;
        public int Transmits { get; set; }
    }

    /// <summary>Fewest transmissions first, then newest (highest sequence) first; sequences are unique.</summary>
    private sealed class SendOrder : IComparer<Entry>
    {
        public static readonly SendOrder Instance = new();

        public int Compare(Entry? x, Entry? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            int byTransmits = x.Transmits.CompareTo(y.Transmits);
            return byTransmits != 0 ? byTransmits : y.Sequence.CompareTo(x.Sequence);
        }
    }
}
