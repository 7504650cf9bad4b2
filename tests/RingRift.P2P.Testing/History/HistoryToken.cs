using RingRift.P2P.Raft;

namespace RingRift.P2P.Testing.History;

/// <summary>
/// A fencing token "term.index[.slot]" as the checker orders it: by term, then log index, then
/// slot inside a batched entry. A later claim of the same item always has a greater token.
/// </summary>
/// <remarks>Parsed by <see cref="FencingToken.TryParse"/>, so the checker reads exactly what the queue issues.</remarks>
public readonly record struct HistoryToken(long Term, long Index, int Slot) : IComparable<HistoryToken>
{
    /// <summary>Parses the queue's "term.index" or "term.index.slot" (non-negative integers); false otherwise.</summary>
    public static bool TryParse(string? text, out HistoryToken token)
    {
        token = default;
        if (!FencingToken.TryParse(text, out var parsed))
            return false;
        token = new HistoryToken(parsed.Term, parsed.Index, parsed.Slot);
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
