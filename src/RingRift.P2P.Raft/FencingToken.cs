using System.Globalization;

namespace RingRift.P2P.Raft;

/// <summary>
/// Identifies one claim of one work item: the Raft term and log index of the entry that applied
/// the claim, plus the command's position (slot) inside that entry when the entry holds a batch.
/// Start / complete / fail that present a token other than the current claim's are refused.
/// </summary>
/// <remarks>
/// Compact form: <c>"term.index"</c> when <see cref="Slot"/> is 0 (one command per entry), else
/// <c>"term.index.slot"</c>. Tokens are unique per claim because (index, slot) never repeats.
/// </remarks>
public sealed record FencingToken(long Term, long Index, int Slot = 0)
{
    /// <summary>The compact string form, e.g. <c>"7.1042"</c> or <c>"7.1042.3"</c>.</summary>
    public override string ToString() =>
        Slot == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Term}.{Index}")
            : string.Create(CultureInfo.InvariantCulture, $"{Term}.{Index}.{Slot}");

    /// <summary>Parses the compact form; throws <see cref="FormatException"/> naming the text when it is not "term.index[.slot]" with non-negative numbers.</summary>
    public static FencingToken Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text, out var token))
            return token;
        throw new FormatException($"fencing_token must be 'term.index' or 'term.index.slot' with non-negative integers, got '{text}'");
    }

    /// <summary>Parses the compact form; false when it is malformed.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FencingToken? token)
    {
        token = null;
        if (string.IsNullOrEmpty(text))
            return false;
        var parts = text.Split('.');
        if (parts.Length is < 2 or > 3)
            return false;
        if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var term))
            return false;
        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return false;
        var slot = 0;
        if (parts.Length == 3 && (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out slot) || slot == 0))
            return false; // slot 0 is written without its part, so "t.i.0" is not canonical
        token = new FencingToken(term, index, slot);
        return true;
    }
}
