"""Party pages under /party/. URLs carry database ids and unit codes only."""

from django.urls import path

from bastion.party.views import briefings, deeds, front

app_name = "party"
urlpatterns = [
    path("", front.party_index, name="index"),
    path("units/<str:code>/", front.engagement_page, name="engagement"),
    path("units/<str:code>/orgs/", front.org_list, name="org_list"),
    path("units/<str:code>/posts/", front.post_list, name="post_list"),
    path("posts/<int:post_id>/end/", front.post_end, name="post_end"),
    path("units/<str:code>/deeds/", deeds.deed_list, name="deed_list"),
    path("units/<str:code>/deeds/new/", deeds.deed_create, name="deed_create"),
    path("deeds/public/", deeds.public_deed_list, name="public_deeds"),
    path("deeds/<int:deed_id>/", deeds.deed_detail, name="deed_detail"),
    path("deeds/<int:deed_id>/photos/", deeds.deed_photo, name="deed_photo"),
    path("deeds/<int:deed_id>/facts/", deeds.deed_fact, name="deed_fact"),
    path("deeds/<int:deed_id>/consent/", deeds.deed_consent, name="deed_consent"),
    path("deeds/<int:deed_id>/nominate/", deeds.deed_nominate, name="deed_nominate"),
    path("deeds/<int:deed_id>/commend/", deeds.deed_commend, name="deed_commend"),
    path("photos/<int:photo_id>/", deeds.photo_file, name="photo_file"),
    path("units/<str:code>/briefings/", briefings.briefing_list, name="briefing_list"),
    path("briefings/<int:briefing_id>/", briefings.briefing_detail, name="briefing_detail"),
    path("briefings/<int:briefing_id>/copy/", briefings.briefing_copy, name="briefing_copy"),
    path("briefings/<int:briefing_id>/docx/", briefings.briefing_docx, name="briefing_docx"),
    path("briefings/<int:briefing_id>/pdf/", briefings.briefing_pdf, name="briefing_pdf"),
    path("briefings/<int:briefing_id>/print/", briefings.briefing_print, name="briefing_print"),
]
