namespace DdbCopy.Core.Engine.Checkpoints;

/// <summary>
/// Where a job keeps its state when the user names no place for it: default checkpoints (and the follow spools beside
/// them) go to <c>$XDG_STATE_HOME/ddbcopy/</c>, or <c>~/.local/state/ddbcopy/</c> when that is unset (the XDG base
/// directory rule for state that outlives a run but is not worth backing up), never to the working directory.
/// </summary>
public static class StateFolder
{
    /// <summary>The state folder of this process's user (from its environment).</summary>
    public static string Current => Resolve(Environment.GetEnvironmentVariable);

    /// <summary>The state folder for an environment; the working directory when neither XDG_STATE_HOME nor HOME says where.</summary>
    public static string Resolve(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (variable("XDG_STATE_HOME") is { Length: > 0 } state && Path.IsPathRooted(state))
        {
            return Path.Combine(state, "ddbcopy");
        }

        // XDG: a relative XDG_STATE_HOME is invalid and ignored.
        var home = variable("HOME") is { Length: > 0 } set ? set : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length > 0 ? Path.Combine(home, ".local", "state", "ddbcopy") : Directory.GetCurrentDirectory();
    }
}
