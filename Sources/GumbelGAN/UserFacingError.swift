/// An error meant for the person running the program: its description is one line that
/// names what went wrong (a file, a line, a setting) and says what to do. Every error the
/// library throws is one; a program catches them once, at its top.
public protocol UserFacingError: Error, CustomStringConvertible {}
