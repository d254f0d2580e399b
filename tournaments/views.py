"""Public pages of the fans' site."""

from django.shortcuts import render


def home(request):
    return render(request, "tournaments/home.html", {})
