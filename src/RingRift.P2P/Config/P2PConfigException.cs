namespace RingRift.P2P.Config;

/// <summary>
/// A configuration value is missing, malformed or out of range. The message always has the form
/// <c>VARIABLE='value' is invalid: what is allowed</c>, one line, fit to print as a start-up error.
/// Secrets (the cluster token) never appear in <see cref="Value"/> or the message.
/// </summary>
public sealed class P2PConfigException : Exception
{
    public P2PConfigException(string variable, string value, string allowed)
        : base($"{variable}='{value}' is invalid: {allowed}")
    {
        Variable = variable;
        Value = value;
        Allowed = allowed;
    }

    /// <summary>The environment variable (or setting) that holds the bad value.</summary>
    public string Variable { get; }

    /// <summary>The offending value as given (a file path for <c>_FILE</c> variables, never a secret).</summary>
    public string Value { get; }

    /// <summary>What the setting accepts, e.g. <c>expected an integer from 1 to 65535</c>.</summary>
    public string Allowed { get; }
}
