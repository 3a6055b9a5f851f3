namespace DdbCopy.Core.Aws;

/// <summary>How to reach one side (source or destination): endpoint, region, named profile, and a role to assume.</summary>
public sealed record SideSpec(EndpointSpec Endpoint, string? Profile, string? RoleArn = null, string? ExternalId = null)
{
    /// <summary>Which credentials this side uses, for the log: never a secret.</summary>
    public string Identity =>
        (Profile is null ? "the default credential chain" : $"profile {Profile}")
        + (RoleArn is null ? "" : $", assuming {RoleArn}" + (ExternalId is null ? "" : " (with an external id)"));

    public override string ToString() =>
        Profile is null ? Endpoint.ToString() : $"{Endpoint}, profile {Profile}";
}
