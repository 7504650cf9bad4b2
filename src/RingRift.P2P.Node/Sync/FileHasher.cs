using System.Buffers;
using System.Security.Cryptography;

namespace RingRift.P2P.Node.Sync;

/// <summary>Streaming sha256 of files (1 MiB reads, never the whole file in memory), as lower-case hex.</summary>
public static class FileHasher
{
    public const int BufferSize = 1 << 20;

    public static async Task<string> Sha256Async(string fullPath, CancellationToken ct)
    {
        await using var stream = new FileStream(fullPath, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await AppendAsync(hash, stream, long.MaxValue, ct);
        return Hex(hash.GetHashAndReset());
    }

    /// <summary>Feeds up to <paramref name="limit"/> bytes of <paramref name="stream"/> into <paramref name="hash"/>; returns how many.</summary>
    public static async Task<long> AppendAsync(IncrementalHash hash, Stream stream, long limit, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            while (total < limit)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, limit - total)), ct);
                if (read == 0) break;
                hash.AppendData(buffer, 0, read);
                total += read;
            }
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static string Hex(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest);

    /// <summary>True for 64 lower- or upper-case hex characters.</summary>
    public static bool IsSha256Hex(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigit);
}
