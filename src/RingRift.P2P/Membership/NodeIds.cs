namespace RingRift.P2P.Membership;

/// <summary>What a node id may look like: 1–128 letters, digits, '-', '_' or '.'.</summary>
public static class NodeIds
{
    public const string Allowed = "1-128 characters of letters, digits, '-', '_' or '.'";

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= 128 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
