using System.Globalization;

namespace RingRift.P2P.Node.Sync;

/// <summary>
/// One byte range of a file of known length, from a <c>Range</c> header: <c>bytes=N-</c>, <c>bytes=N-M</c>
/// (M clamped to the last byte) or <c>bytes=-K</c> (the last K bytes). Several ranges, other units,
/// malformed text, N past the end or M &lt; N are unsatisfiable (416).
/// </summary>
public readonly record struct ByteRange(long Start, long End)
{
    public long Length => End - Start + 1;

    /// <summary>The <c>Content-Range</c> value for this range of a file of <paramref name="total"/> bytes.</summary>
    public string ContentRange(long total) => $"bytes {Start}-{End}/{total}";

    /// <summary>Parses <paramref name="header"/> against a file of <paramref name="length"/> bytes; false when unsatisfiable.</summary>
    public static bool TryParse(string header, long length, out ByteRange range)
    {
        range = default;
        const string unit = "bytes=";
        if (!header.StartsWith(unit, StringComparison.OrdinalIgnoreCase)) return false;
        var spec = header[unit.Length..].Trim();
        if (spec.Contains(',')) return false;
        var dash = spec.IndexOf('-');
        if (dash < 0) return false;
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            if (!TryNumber(last, out var suffix) || suffix == 0 || length == 0) return false;
            range = new ByteRange(Math.Max(0, length - suffix), length - 1);
            return true;
        }
        if (!TryNumber(first, out var start) || start >= length) return false;
        long end = length - 1;
        if (last.Length > 0)
        {
            if (!TryNumber(last, out var requestedEnd) || requestedEnd < start) return false;
            end = Math.Min(requestedEnd, length - 1);
        }
        range = new ByteRange(start, end);
        return true;
    }

    private static bool TryNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
