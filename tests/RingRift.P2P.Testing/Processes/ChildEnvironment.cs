using System.Collections;

namespace RingRift.P2P.Testing.Processes;

/// <summary>
/// The environment a test hands to node processes it starts: exactly the RINGRIFT_ settings given.
/// A child inherits this process's environment, so every RINGRIFT_ variable set here (by the CI
/// machine, or for a moment by another test) and not given is passed as empty, which the node reads as unset.
/// </summary>
public static class ChildEnvironment
{
    private const string Prefix = "RINGRIFT_";

    public static Dictionary<string, string> Of(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry inherited in Environment.GetEnvironmentVariables())
        {
            if (inherited.Key is string name && name.StartsWith(Prefix, StringComparison.Ordinal))
                environment[name] = "";
        }
        foreach (var (name, value) in settings) environment[name] = value ?? "";
        return environment;
    }
}
