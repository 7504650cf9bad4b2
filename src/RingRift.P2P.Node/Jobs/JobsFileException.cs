using RingRift.P2P.Yaml;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// The jobs file cannot be read or holds a bad value. The message names the file, the line and
/// the key, e.g. <c>jobs.yaml line 7: key 'jobs.selfplay.timeout_seconds': expected a number
/// greater than 0, got 'soon'</c>.
/// </summary>
public sealed class JobsFileException(string sourceName, int? line, string? key, string problem, Exception? inner = null)
    : YamlFileException(sourceName, line, key, problem, inner);
