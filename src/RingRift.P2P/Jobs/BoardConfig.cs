using System.Globalization;
using System.Text.Json.Nodes;

namespace RingRift.P2P.Jobs;

/// <summary>
/// A board configuration that models are trained for: board type plus player count. Its key
/// (<c>hex8_2p</c>) names training state, data folders and webhook payloads.
/// </summary>
public sealed record BoardConfig(string BoardType, int NumPlayers)
{
    public const int MinPlayers = 1;
    public const int MaxPlayers = 8;

    /// <summary><c>{board_type}_{num_players}p</c>, e.g. <c>hex8_2p</c>.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{BoardType}_{NumPlayers}p");

    public override string ToString() => Key;

    /// <summary>
    /// Reads <c>board_type</c> (letters, digits, '-', 1–64 characters) and <c>num_players</c>
    /// (1–8) from a work item's config. False, with a reason naming the field, when either is missing or bad.
    /// </summary>
    public static bool TryFrom(JsonObject? config, out BoardConfig board, out string error)
    {
        board = null!;
        if (config is null) { error = "config is missing"; return false; }
        if (config[WorkKeys.BoardType] is not JsonValue typeNode || !typeNode.TryGetValue(out string? type) || !IsBoardType(type))
        {
            error = $"{WorkKeys.BoardType} must be 1-64 letters, digits or '-', got {config[WorkKeys.BoardType]?.ToJsonString() ?? "nothing"}";
            return false;
        }
        if (config[WorkKeys.NumPlayers] is not JsonValue playersNode || !TryInt(playersNode, out var players) || players is < MinPlayers or > MaxPlayers)
        {
            error = $"{WorkKeys.NumPlayers} must be an integer {MinPlayers}-{MaxPlayers}, got {config[WorkKeys.NumPlayers]?.ToJsonString() ?? "nothing"}";
            return false;
        }
        board = new BoardConfig(type, players);
        error = "";
        return true;
    }

    /// <summary>Parses a key such as <c>hex8_2p</c>; throws <see cref="FormatException"/> naming the key otherwise.</summary>
    public static BoardConfig Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var cut = key.LastIndexOf('_');
        if (cut > 0 && key.EndsWith('p') && IsBoardType(key[..cut])
            && int.TryParse(key.AsSpan(cut + 1, key.Length - cut - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var players)
            && players is >= MinPlayers and <= MaxPlayers)
        {
            return new BoardConfig(key[..cut], players);
        }

        throw new FormatException($"board config '{key}' is not <board_type>_<num_players>p (e.g. hex8_2p)");
    }

    /// <summary>A config object carrying this board: <c>{"board_type": …, "num_players": …}</c>.</summary>
    public JsonObject ToConfig() => new() { [WorkKeys.BoardType] = BoardType, [WorkKeys.NumPlayers] = NumPlayers };

    private static bool IsBoardType(string? value) =>
        value is { Length: > 0 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static bool TryInt(JsonValue node, out int value)
    {
        if (node.TryGetValue(out value)) return true;
        if (node.TryGetValue(out double d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue) { value = (int)d; return true; }
        value = 0;
        return false;
    }
}
