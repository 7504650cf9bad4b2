using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim;

/// <summary>Dissemination (SWIM §4.1): piggybacking queued updates on every packet, and gossip rounds.</summary>
public sealed partial class SwimNode
{
    private ITimer? _gossipTimer;

    private void StartGossipLoop()
    {
        _gossipTimer = CreateTimer(GossipRound);
        _gossipTimer.Change(_config.GossipInterval, _config.GossipInterval);
    }

    /// <summary>Queues <paramref name="update"/> about <paramref name="subject"/> for dissemination, replacing older news about it.</summary>
    private void Enqueue(string subject, SwimMessage update) => _broadcasts.Enqueue(subject, SwimCodec.Encode(update));

    /// <summary>
    /// One gossip round: up to <see cref="SwimConfig.GossipNodes"/> random peers (alive or suspect) each get
    /// a packet of queued updates; stops early once the queue has nothing left to send.
    /// </summary>
    private void GossipRound()
    {
        if (_broadcasts.Count == 0)
        {
            return;
        }

        List<SwimMember> peers = PickRandom(GossipCandidates(), _config.GossipNodes);
        foreach (SwimMember peer in peers)
        {
            IReadOnlyList<SwimMessage> updates = TakeUpdates(_packer.MaxPayloadBytes - SwimCodec.CompoundHeaderBytes);
            if (updates.Count == 0)
            {
                return;
            }

            SendPackets(EndpointOf(peer), updates);
        }
    }

    private List<SwimMember> GossipCandidates()
    {
        var peers = new List<SwimMember>();
        foreach (SwimMember member in _table.Members.Values)
        {
            if (member.NodeId != SelfId && member.State is SwimMemberState.Alive or SwimMemberState.Suspect)
            {
                peers.Add(member);
            }
        }

        return peers;
    }

    /// <summary>Sends <paramref name="primary"/> to <paramref name="to"/> with as many queued updates as fit in the packet.</summary>
    private void SendWithPiggyback(SwimEndpoint to, params SwimMessage[] primary)
    {
        int primaryBytes = SwimCodec.CompoundHeaderBytes;
        foreach (SwimMessage message in primary)
        {
            primaryBytes += SwimCodec.CompoundPartOverheadBytes + SwimCodec.Encode(message).Length;
        }

        var all = new List<SwimMessage>(primary);
        int room = _packer.MaxPayloadBytes - primaryBytes;
        if (room > 0)
        {
            all.AddRange(TakeUpdates(room));
        }

        SendPackets(to, all);
    }

    /// <summary>Takes queued updates worth at most <paramref name="room"/> compound bytes (part overhead included).</summary>
    private IReadOnlyList<SwimMessage> TakeUpdates(int room)
    {
        IReadOnlyList<byte[]> encoded = _broadcasts.TakeForPacket(SwimCodec.CompoundPartOverheadBytes, Math.Max(0, room), ClusterSize());
        var updates = new List<SwimMessage>(encoded.Count);
        foreach (byte[] bytes in encoded)
        {
            if (SwimCodec.TryDecode(bytes, out SwimMessage? message, out _) && message is not null)
            {
                updates.Add(message); // always true: the queue holds only what Enqueue encoded
            }
        }

        return updates;
    }

    private void SendPackets(SwimEndpoint to, IReadOnlyList<SwimMessage> messages)
    {
        foreach (byte[] packet in _packer.Pack(messages))
        {
            _transport.SendPacket(to, packet);
            Stats.PacketSent(packet.Length);
        }
    }

    /// <summary>Up to <paramref name="count"/> distinct members of <paramref name="candidates"/> (ordered by id), chosen with the seeded random.</summary>
    private List<SwimMember> PickRandom(List<SwimMember> candidates, int count)
    {
        candidates.Sort((a, b) => string.CompareOrdinal(a.NodeId, b.NodeId));
        int take = Math.Min(count, candidates.Count);
        for (int i = 0; i < take; i++)
        {
            int j = _random.Next(i, candidates.Count);
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
        }

        return candidates.GetRange(0, take);
    }
}
