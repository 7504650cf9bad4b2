namespace RingRift.P2P.Swim.Wire;

/// <summary>No cluster token: packets are sent and accepted unauthenticated (memberlist without a keyring).</summary>
internal sealed class NoOpPacketAuthenticator : PacketAuthenticator
{
    public override bool IsAuthenticating => false;

    public override int OverheadBytes => 0;

    public override byte[] Seal(ReadOnlySpan<byte> payload) => payload.ToArray();

    public override bool TryOpen(ReadOnlySpan<byte> packet, out ReadOnlySpan<byte> payload)
    {
        payload = packet;
        return true;
    }
}
