package safeguarding

// NeedSecondFactor reports whether a person with these roles must sign in
// with a second factor (DESIGN.md, "Security baseline"): those who see the
// most sensitive records, or who manage the accounts that do. Until they
// have enrolled one they may do nothing but enrol or sign out. Other staff
// and governors may enrol if they choose.
func (rs Roles) NeedSecondFactor() bool {
	return rs.Has(RoleDSL, RoleDeputyDSL, RolePrincipal, RoleChair, RoleAdmin)
}

// MustEnrol reports whether v must enrol a second factor before anything
// else.
func (v Viewer) MustEnrol() bool { return v.Roles.NeedSecondFactor() && !v.SecondFactor }

// MayResetSecondFactor reports whether a person with these roles may clear
// another person's second factor, in their own school, so that someone who
// has lost their phone and recovery codes can enrol again.
func MayResetSecondFactor(rs Roles) bool { return rs.Has(RoleAdmin) }
