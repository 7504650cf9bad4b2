namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// Seals outgoing SWIM packets and opens incoming ones with a key derived from the cluster token
/// (<c>P2PConfig.AuthToken</c>, <c>RINGRIFT_CLUSTER_AUTH_TOKEN</c>).
/// </summary>
/// <remarks>
/// <para><b>Choice: HMAC-SHA256, not AES-GCM.</b> A packet is <c>payload ‖ tag</c> where the tag is
/// HMAC-SHA256(key, payload) truncated to 16 bytes. This authenticates every packet but leaves it readable:
/// SWIM payloads are node ids, IP addresses, ports and incarnations, which any cluster member already
/// publishes on <c>/status</c>, so hiding them buys little. HMAC needs no nonce; AES-GCM with one static key
/// shared by every node would need unique 96-bit nonces across all senders (a repeated nonce leaks the
/// authentication key), and costs 28 bytes per packet (nonce + tag) instead of 16.</para>
/// <para><b>Why a 128-bit tag is enough.</b> Without the key, each forged packet is accepted with probability
/// 2⁻¹²⁸ (truncated HMAC keeps forgery resistance at the tag length; NIST SP 800-107 allows truncation well
/// below this). An attacker sending a billion packets a second for a century makes about 2⁶² tries: a
/// success chance near 2⁻⁶⁶. The other 16 bytes of the full 32-byte HMAC would only eat packet budget.</para>
/// <para><b>Key.</b> HKDF-SHA256 (RFC 5869): ikm = UTF-8 cluster token, salt = <c>"ringrift-swim-v1"</c>,
/// info = <c>"packet-auth"</c>, 32 bytes. The fixed salt and info separate this key from any other use of the
/// same token (the HTTP bearer check sends the token itself; it never sends this key).</para>
/// <para><b>No token.</b> <see cref="FromClusterToken"/> with null or empty returns <see cref="None"/>: packets
/// go out bare and anything is accepted — like memberlist without a keyring. Use a token on any network you
/// do not fully trust.</para>
/// <para><b>Replay is not prevented.</b> A captured packet stays valid for as long as the token does. The
/// damage is bounded by SWIM's rules: messages are idempotent under incarnation numbers (a stale Alive,
/// Suspect or Dead is ignored), acks only count when they match an outstanding probe's sequence number, and a
/// replayed Suspect/Dead at a node's current incarnation is refuted by that node raising its incarnation.
/// memberlist has the same limitation.</para>
/// </remarks>
public abstract class PacketAuthenticator
{
    /// <summary>HKDF salt: <c>"ringrift-swim-v1"</c>.</summary>
    public const string KeySalt = "ringrift-swim-v1";

    /// <summary>HKDF info: <c>"packet-auth"</c>.</summary>
    public const string KeyInfo = "packet-auth";

    /// <summary>Derived key length: 32 bytes.</summary>
    public const int KeyBytes = 32;

    /// <summary>Tag length on authenticated packets: 16 bytes (HMAC-SHA256 truncated).</summary>
    public const int TagBytes = 16;

    private protected PacketAuthenticator() { }

    /// <summary>The no-op authenticator: <see cref="Seal"/> copies, <see cref="TryOpen"/> accepts everything.</summary>
    public static PacketAuthenticator None { get; } = new NoOpPacketAuthenticator();

    /// <summary>HMAC authenticator keyed from <paramref name="clusterToken"/>, or <see cref="None"/> when it is null or empty.</summary>
    public static PacketAuthenticator FromClusterToken(string? clusterToken) =>
        string.IsNullOrEmpty(clusterToken) ? None : new HmacPacketAuthenticator(clusterToken);

    /// <summary>True when packets carry and need a tag.</summary>
    public abstract bool IsAuthenticating { get; }

    /// <summary>Bytes <see cref="Seal"/> adds to a payload: <see cref="TagBytes"/>, or 0 for <see cref="None"/>.</summary>
    public abstract int OverheadBytes { get; }

    /// <summary>The packet to send for <paramref name="payload"/>: payload followed by its tag.</summary>
    public abstract byte[] Seal(ReadOnlySpan<byte> payload);

    /// <summary>
    /// Checks <paramref name="packet"/>'s tag (constant-time) and returns the payload part of it.
    /// Never throws; false for a short packet or a wrong tag.
    /// </summary>
    public abstract bool TryOpen(ReadOnlySpan<byte> packet, out ReadOnlySpan<byte> payload);
}
