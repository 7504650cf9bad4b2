using System.Security.Cryptography;
using System.Text;

namespace RingRift.P2P.Swim.Wire;

/// <summary>payload ‖ HMAC-SHA256(key, payload)[0..16); see <see cref="PacketAuthenticator"/> for the reasoning.</summary>
internal sealed class HmacPacketAuthenticator : PacketAuthenticator
{
    private readonly byte[] _key;

    internal HmacPacketAuthenticator(string clusterToken) => _key = DeriveKey(clusterToken);

    public override bool IsAuthenticating => true;

    public override int OverheadBytes => TagBytes;

    /// <summary>HKDF-SHA256(ikm = UTF-8 token, salt = <see cref="PacketAuthenticator.KeySalt"/>, info = <see cref="PacketAuthenticator.KeyInfo"/>) → 32 bytes.</summary>
    internal static byte[] DeriveKey(string clusterToken)
    {
        if (string.IsNullOrEmpty(clusterToken))
            throw new ArgumentException("clusterToken must be non-empty to derive a packet key.", nameof(clusterToken));
        return HKDF.DeriveKey(
            HashAlgorithmName.SHA256,
            Encoding.UTF8.GetBytes(clusterToken),
            KeyBytes,
            Encoding.UTF8.GetBytes(KeySalt),
            Encoding.UTF8.GetBytes(KeyInfo));
    }

    public override byte[] Seal(ReadOnlySpan<byte> payload)
    {
        var packet = new byte[payload.Length + TagBytes];
        payload.CopyTo(packet);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, payload, mac);
        mac[..TagBytes].CopyTo(packet.AsSpan(payload.Length));
        return packet;
    }

    public override bool TryOpen(ReadOnlySpan<byte> packet, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (packet.Length < TagBytes) return false; // too short to carry a tag
        var body = packet[..^TagBytes];
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, body, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..TagBytes], packet[^TagBytes..])) return false;
        payload = body;
        return true;
    }
}
