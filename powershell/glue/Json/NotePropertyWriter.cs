using System;
using System.Management.Automation;
using System.Reflection;

namespace Okta.PowerShell.Json;

/// <summary>
/// Adds note properties to new PSCustomObjects, fast. PowerShell's public way (<c>PSObject.Properties.Add</c>)
/// also tells every member binder of the process, for each property of each object, that an instance member
/// of that name now exists: a global, case-insensitive lookup plus two locks. For a page of users that is most
/// of the conversion time (measured: 3–7× the cost of the insert itself). The binders' flag is sticky, so
/// telling them once per distinct name (<see cref="Announce"/>), before any object is visible to a script, is
/// all they need; each property then goes straight into the object's own member table.
/// <para>
/// Those are System.Management.Automation internals (PSObject.InstanceMembers, PSMemberInfo.ReplicateInstance,
/// PSGetMemberBinder.SetHasInstanceMember, PSVariableAssignmentBinder.NoteTypeHasInstanceMemberOrTypeName),
/// found once by reflection. If a PowerShell version lacks any of them, <see cref="IsFast"/> is false and
/// every call takes the public path: slower, never wrong.
/// </para>
/// </summary>
internal static class NotePropertyWriter
{
    private static readonly Func<PSObject, PSMemberInfoCollection<PSMemberInfo>>? InstanceMembers;
    private static readonly Action<PSMemberInfo, object>? ReplicateInstance;
    private static readonly Action<string>? SetHasInstanceMember;

    /// <summary>Whether the fast path is in use (the test suite checks it is, on the pinned pwsh).</summary>
    internal static bool IsFast { get; }

    static NotePropertyWriter()
    {
        try
        {
            const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
            const BindingFlags Static = BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public;
            var automation = typeof(PSObject).Assembly;
            var members = typeof(PSObject).GetProperty("InstanceMembers", Instance)?.GetGetMethod(nonPublic: true);
            var replicate = typeof(PSMemberInfo).GetMethod("ReplicateInstance", Instance, null, new[] { typeof(object) }, null);
            var binder = automation.GetType("System.Management.Automation.Language.PSGetMemberBinder")
                ?.GetMethod("SetHasInstanceMember", Static, null, new[] { typeof(string) }, null);
            var assignment = automation.GetType("System.Management.Automation.Language.PSVariableAssignmentBinder")
                ?.GetMethod("NoteTypeHasInstanceMemberOrTypeName", Static, null, new[] { typeof(Type) }, null);
            if (members is null || replicate is null || binder is null || assignment is null) return;
            if (!typeof(PSMemberInfoCollection<PSMemberInfo>).IsAssignableFrom(members.ReturnType)) return;

            InstanceMembers = members.CreateDelegate<Func<PSObject, PSMemberInfoCollection<PSMemberInfo>>>();
            ReplicateInstance = replicate.CreateDelegate<Action<PSMemberInfo, object>>();
            SetHasInstanceMember = binder.CreateDelegate<Action<string>>();
            // What the public path notes for every object's base type; every object here is a PSCustomObject.
            assignment.Invoke(null, new object[] { typeof(PSCustomObject) });
            IsFast = true;
        }
        catch (Exception)
        {
            // a PowerShell whose internals differ: the public path below serves
        }
    }

    /// <summary>Tells PowerShell's member binders that objects with a property of this name exist. Once per name per parse.</summary>
    internal static void Announce(string name) => SetHasInstanceMember?.Invoke(name);

    /// <summary>
    /// The member table to <see cref="Add"/> to: the object's own one on the fast path, else its public
    /// property collection (which does its own announcing).
    /// </summary>
    internal static PSMemberInfoCollection<PSMemberInfo> MembersOf(PSObject target) =>
        InstanceMembers is { } members ? members(target) : target.Members;

    /// <summary>
    /// Adds a property whose name the caller has checked (not empty, not reserved, no case-insensitive repeat)
    /// and <see cref="Announce"/>d.
    /// </summary>
    internal static void Add(PSObject target, PSMemberInfoCollection<PSMemberInfo> members, PSNoteProperty property)
    {
        ReplicateInstance?.Invoke(property, target);
        members.Add(property, preValidated: true);
    }
}
