using System.Globalization;

namespace RingRift.P2P.Testing.History;

/// <summary>
/// A fencing token "term.index[.slot]" as the checker orders it: by term, then log index, then
/// slot inside a batched entry. A later claim of the same item always has a greater token.
/// </summary>
/// <remarks>Parsed here rather than with the Raft project's FencingToken so the kit stays free of the Raft assembly.</remarks>
public readonly record struct HistoryToken(long Term, long Index, int Slot) : IComparable<HistoryToken>
{
    /// <summary>Parses "term.index" or "term.index.slot" (non-negative integers); false otherwise.</summary>
    public static bool TryParse(string? text, out HistoryToken token)
    {
        token = default;
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
        if (parts.Length == 3 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out slot))
            return false;
        token = new HistoryToken(term, index, slot);
        return true;
    }

    /// <summary>Orders two token strings; an unparsable token sorts before every parsable one, and two unparsable ones ordinally.</summary>
    public static int Compare(string a, string b)
    {
        var okA = TryParse(a, out var ta);
        var okB = TryParse(b, out var tb);
        if (okA && okB)
            return ta.CompareTo(tb);
        if (okA != okB)
            return okA ? 1 : -1;
        return string.CompareOrdinal(a, b);
    }

    public int CompareTo(HistoryToken other)
    {
        var byTerm = Term.CompareTo(other.Term);
        if (byTerm != 0)
            return byTerm;
        var byIndex = Index.CompareTo(other.Index);
        return byIndex != 0 ? byIndex : Slot.CompareTo(other.Slot);
    }
}
