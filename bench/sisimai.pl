#!/usr/bin/perl
# Reference for the bounce-message figure of bench/run.js: Sisimai (Debian's libsisimai-perl)
# parses every message of a Maildir-like folder, as `hygiene classify FOLDER` does, and prints
# how many messages it read and how many recipient records it made, as JSON on one line.
use strict;
use warnings;
use Sisimai::Mail;
use Sisimai::Message;
use Sisimai::Data;

my $dir = shift @ARGV or die "usage: perl bench/sisimai.pl FOLDER\n";
my $mail = Sisimai::Mail->new($dir) or die "$dir: Sisimai cannot open it\n";
my ($messages, $records) = (0, 0);
while (my $raw = $mail->read) {
    $messages++;
    my $message = Sisimai::Message->new('data' => $raw) or next;
    my $data = Sisimai::Data->make('data' => $message, 'delivered' => 1, 'vacation' => 1) or next;
    $records += scalar @$data;
}
print "{\"messages\":$messages,\"records\":$records}\n";
