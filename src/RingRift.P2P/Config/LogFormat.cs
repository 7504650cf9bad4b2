using System.Text.Json.Serialization;

namespace RingRift.P2P.Config;

/// <summary>How a node writes its console log (<c>RINGRIFT_LOG_FORMAT</c>). Numbers are append-only.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LogFormat>))]
public enum LogFormat
{
    /// <summary>Microsoft.Extensions.Logging's simple console text (the default).</summary>
    [JsonStringEnumMemberName("text")] Text = 0,
    /// <summary>One JSON object per line (the JSON console formatter), for log shippers and jq.</summary>
    [JsonStringEnumMemberName("json")] Json = 1,
}
