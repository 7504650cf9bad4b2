using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim;

/// <summary>Inbound dispatch: datagrams (authenticated and unpacked by <see cref="SwimPacketReader"/>) and stream requests.</summary>
public sealed partial class SwimNode
{
    /// <summary>Set while dispatching one datagram when it accused this node (Suspect or Dead about us, stale or not).</summary>
    private bool _accusedBySender;

    /// <summary>Sender of the datagram being dispatched (null outside <see cref="OnPacket"/>).</summary>
    private SwimEndpoint? _packetFrom;

    private void OnPacket(SwimEndpoint from, byte[] packet)
    {
        Stats.PacketReceived(packet.Length);
        Guarded(() =>
        {
            _accusedBySender = false;
            _packetFrom = from;
            foreach (SwimMessage message in _reader.Read(packet))
            {
                Dispatch(message);
            }

            _packetFrom = null;

            if (_accusedBySender && _table.Self.State != SwimMemberState.Left)
            {
                // The sender still believes we are suspect or dead, maybe at an incarnation we refuted long
                // ago (a stale accusation gossip will never correct): answer it directly with who we are now.
                Stats.AccusationAnswered();
                SendPackets(from, [ToWire(_table.SelfAlive())]); // no piggyback: our Alive may be queued too
            }

            // The sender missed a leave or a death and is still accusing or probing that member: tell it directly.
            FlushAnswers(from);
        });
    }

    private void Dispatch(SwimMessage message)
    {
        switch (message)
        {
            case Ping ping:
                if (ping.TargetId == SelfId)
                {
                    SendWithPiggyback(new SwimEndpoint(ping.SourceAddress, ping.SourcePort), new Ack(ping.SeqNo));
                }

                break; // a ping for a previous occupant of our address gets no ack
            case IndirectPing request:
                OnIndirectPing(request);
                break;
            case Ack ack:
                OnAck(ack.SeqNo, viaTarget: _packetFrom);
                break;
            case Nack nack:
                OnNack(nack.SeqNo);
                break;
            case Alive alive:
                HandleAlive(ToUpdate(alive));
                break;
            case Suspect suspect:
                HandleSuspect(ToUpdate(suspect));
                break;
            case Dead dead:
                HandleDead(ToUpdate(dead));
                break;
            case Leave leave:
                HandleLeave(ToUpdate(leave));
                break;
        }
    }

    /// <summary>
    /// A stream request: a TCP fallback ping (answered with an ack), a push-pull (merged, answered with
    /// our full state) or a leaving member's Leave (applied, answered with an ack). Forged, malformed or
    /// unexpected requests get no response.
    /// </summary>
    private byte[]? OnRequest(SwimEndpoint from, byte[] request)
    {
        Stats.RequestReceived();
        byte[]? response = null;
        Guarded(() =>
        {
            switch (TryOpen(request))
            {
                case Ping ping when ping.TargetId == SelfId:
                    response = _auth.Seal(SwimCodec.Encode(new Ack(ping.SeqNo)));
                    break;
                case Leave leave:
                    response = AcknowledgeLeave(leave);
                    break;
                case PushPullRequest pushPull:
                    MergeState(pushPull.Members, peer: null);
                    Stats.PushPull();
                    response = _auth.Seal(SwimCodec.Encode(new PushPullResponse(LocalState())));
                    break;
                default:
                    Stats.RequestRejected();
                    SwimLog.RequestRejected(_logger, SelfId, from.ToString());
                    break;
            }
        });
        return response;
    }
}
